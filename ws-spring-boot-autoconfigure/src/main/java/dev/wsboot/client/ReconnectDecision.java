package dev.wsboot.client;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Whether one managed client reconnects after its connection closed or an attempt failed:
 * {@code reconnect.enabled}, {@code reconnect.stop-on-close-codes} and the application's
 * {@link WsReconnectPolicy}. Each answer is the reason to stop, or {@code null} to
 * reconnect; a policy that throws is logged and reconnects, as without a policy. Holds no
 * state; asked outside the client's lock, since the policy is application code.
 * {@link ReconnectSchedule} then picks the delay.
 */
final class ReconnectDecision {

	private final WsClient client;

	private final WsClientSettings.Reconnect settings;

	private final Supplier<WsReconnectPolicy> policy;

	/**
	 * Create the decision of a client.
	 * @param client the client the policy is asked about
	 * @param settings its reconnect settings
	 * @param policy the application's policy, looked up at each decision
	 */
	ReconnectDecision(WsClient client, WsClientSettings.Reconnect settings, Supplier<WsReconnectPolicy> policy) {
		this.client = client;
		this.settings = settings;
		this.policy = policy;
	}

	/** Whether the client reconnects at all ({@code reconnect.enabled}). */
	boolean enabled() {
		return this.settings.enabled();
	}

	/** The attempts {@code reconnect.max-attempts} allows. */
	int maxAttempts() {
		return this.settings.maxAttempts();
	}

	/**
	 * Why a close must not be reconnected ({@code reconnect.stop-on-close-codes}, the
	 * policy), or {@code null}.
	 * @param code the close code
	 * @param reason the close reason
	 * @return the reason to stop, or {@code null}
	 */
	@Nullable String afterClose(int code, String reason) {
		String name = this.client.name();
		if (this.settings.stopOnCloseCodes().contains(code)) {
			return "close code " + code + " is listed in ws.clients." + name + ".reconnect.stop-on-close-codes "
					+ this.settings.stopOnCloseCodes();
		}
		if (!policyAllows(() -> this.policy.get().shouldReconnect(this.client, code, reason),
				"after close code " + code)) {
			return "the WsReconnectPolicy declined to reconnect after close code " + code;
		}
		return null;
	}

	/**
	 * Why a failed attempt must not be followed by another, or {@code null}.
	 * @param cause why the attempt failed
	 * @param failedAttempts the failed attempts in a row
	 * @return the reason to stop, or {@code null}
	 */
	@Nullable String afterFailure(Throwable cause, int failedAttempts) {
		if (!this.settings.enabled()) {
			return "reconnect is disabled";
		}
		if (!policyAllows(() -> this.policy.get().shouldReconnect(this.client, cause, failedAttempts),
				"after a failed attempt")) {
			return "the WsReconnectPolicy declined to reconnect";
		}
		return null;
	}

	/**
	 * Ask the policy; one that fails is logged and reconnects, as without a policy (the
	 * connection must still end properly, and the client must not be left without a next
	 * attempt).
	 */
	private boolean policyAllows(BooleanSupplier question, String after) {
		try {
			return question.getAsBoolean();
		}
		catch (RuntimeException ex) {
			LogFactory.getLog(WsReconnectPolicy.class)
				.error("Client '" + this.client.name() + "': the WsReconnectPolicy failed; reconnecting " + after, ex);
			return true;
		}
	}

}
