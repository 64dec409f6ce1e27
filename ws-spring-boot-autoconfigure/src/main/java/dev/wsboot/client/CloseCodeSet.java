package dev.wsboot.client;

import java.util.ArrayList;
import java.util.List;

import org.springframework.util.Assert;

/**
 * A set of WebSocket close codes written as codes and inclusive ranges, such as
 * {@code [4004, 4010-4014]}: the {@code reconnect.stop-on-close-codes} of a client.
 */
public final class CloseCodeSet {

	private static final CloseCodeSet NONE = new CloseCodeSet(new int[0], List.of());

	/** Pairs of inclusive bounds. */
	private final int[] bounds;

	private final List<String> entries;

	private CloseCodeSet(int[] bounds, List<String> entries) {
		this.bounds = bounds;
		this.entries = entries;
	}

	/**
	 * The empty set.
	 * @return a set that contains no code
	 */
	public static CloseCodeSet none() {
		return NONE;
	}

	/**
	 * Parse codes ({@code 4004}) and ranges ({@code 4010-4014}).
	 * @param entries the entries, surrounding blanks ignored
	 * @return the set
	 * @throws IllegalArgumentException naming the first entry that is not a code from
	 * 1000 to 4999 or a range of such codes from low to high
	 */
	public static CloseCodeSet parse(List<String> entries) {
		Assert.notNull(entries, "'entries' must not be null");
		if (entries.isEmpty()) {
			return NONE;
		}
		int[] bounds = new int[2 * entries.size()];
		List<String> normalized = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			String entry = (entries.get(i) != null) ? entries.get(i).trim() : "";
			int dash = entry.indexOf('-', 1);
			int low = code(entry, (dash < 0) ? entry : entry.substring(0, dash));
			int high = (dash < 0) ? low : code(entry, entry.substring(dash + 1));
			if (high < low) {
				throw new IllegalArgumentException(
						"'" + entry + "' is not a valid close code range: " + low + " is greater than " + high);
			}
			bounds[2 * i] = low;
			bounds[2 * i + 1] = high;
			normalized.add((low == high) ? Integer.toString(low) : low + "-" + high);
		}
		return new CloseCodeSet(bounds, List.copyOf(normalized));
	}

	private static int code(String entry, String text) {
		int code;
		try {
			code = Integer.parseInt(text.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("'" + entry + "' is neither a close code (such as 4004) nor a range of "
					+ "close codes (such as 4010-4014)");
		}
		if (code < 1000 || code > 4999) {
			throw new IllegalArgumentException(
					"'" + entry + "' contains " + code + ", which is not a close code (1000 to 4999)");
		}
		return code;
	}

	/**
	 * Whether the set contains a code.
	 * @param code the close code
	 * @return whether a listed code or range holds it
	 */
	public boolean contains(int code) {
		for (int i = 0; i < this.bounds.length; i += 2) {
			if (code >= this.bounds[i] && code <= this.bounds[i + 1]) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the set is empty.
	 * @return whether no code is listed
	 */
	public boolean isEmpty() {
		return this.bounds.length == 0;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof CloseCodeSet set && set.entries.equals(this.entries);
	}

	@Override
	public int hashCode() {
		return this.entries.hashCode();
	}

	@Override
	public String toString() {
		return this.entries.toString();
	}

}
