package dev.wsboot.client;

import org.springframework.util.Assert;

/**
 * Which shard of a sharded client ({@code ws.clients.<name>.shards} greater than 1) a
 * {@link WsClient} is: shard {@code index} of {@code count}, named
 * {@code <group>-<index>}.
 *
 * @param group the name of the sharded client ({@code ws.clients.<group>})
 * @param index the shard's index, from 0 to {@code count - 1}
 * @param count how many shards the group has
 */
public record WsShard(String group, int index, int count) {

	public WsShard {
		Assert.hasText(group, "'group' must not be empty");
		Assert.isTrue(count > 0, "'count' must be positive");
		Assert.isTrue(index >= 0 && index < count, () -> "'index' must be from 0 to " + (count - 1));
	}

	/**
	 * The name of this shard's client.
	 * @return {@code <group>-<index>}
	 */
	public String clientName() {
		return this.group + "-" + this.index;
	}

}
