package dev.wsboot.autoconfigure;

/**
 * A {@code ws.*} property has a value the starter cannot work with. Start-up fails and
 * {@link WsConfigurationFailureAnalyzer} explains the property and the fix.
 */
public class InvalidWsConfigurationException extends RuntimeException {

	private final String property;

	private final String problem;

	private final String action;

	/**
	 * Create a new exception.
	 * @param property the full property name, e.g. {@code ws.clients.ticker.url}
	 * @param problem what is wrong with it
	 * @param action how to fix it
	 */
	public InvalidWsConfigurationException(String property, String problem, String action) {
		super("Invalid property '" + property + "': " + problem);
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * The property at fault.
	 * @return the full property name
	 */
	public String property() {
		return this.property;
	}

	/**
	 * What is wrong with the property.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
