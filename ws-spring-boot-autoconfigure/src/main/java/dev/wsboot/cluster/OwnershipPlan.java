package dev.wsboot.cluster;

/**
 * How many singleton clients one replica should own: its share, {@code ceil(K / N)} for K
 * clients over N live replicas, never more than {@code maxOwned}. A replica above its
 * share hands the surplus over (only once the member count has held still for a round, so
 * a replica that is just joining or leaving does not cause churn); one below it takes
 * free clients.
 */
final class OwnershipPlan {

	private OwnershipPlan() {
	}

	/**
	 * The most clients one replica should own.
	 * @param clients the singleton clients (K)
	 * @param members the live replicas (N), at least 1
	 * @param maxOwned the hard cap, {@code 0} for none
	 * @return the share
	 */
	static int share(int clients, int members, int maxOwned) {
		int share = (clients + Math.max(members, 1) - 1) / Math.max(members, 1);
		return (maxOwned > 0) ? Math.min(share, maxOwned) : share;
	}

	/**
	 * How many owned clients to hand over now.
	 * @param owned clients owned
	 * @param share the share
	 * @param maxOwned the hard cap, {@code 0} for none
	 * @param membersSettled whether the member count is the same as in the round before
	 * @return how many to hand over, {@code 0} for none
	 */
	static int surplus(int owned, int share, int maxOwned, boolean membersSettled) {
		if (maxOwned > 0 && owned > maxOwned) {
			return owned - maxOwned;
		}
		return (membersSettled && owned > share) ? owned - share : 0;
	}

}
