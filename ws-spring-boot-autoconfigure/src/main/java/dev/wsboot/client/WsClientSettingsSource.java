package dev.wsboot.client;

/**
 * Resolves the settings of clients not configured one by one under {@code ws.clients}:
 * created clients (a template plus a {@link WsClientSpec}) and shards. The
 * auto-configuration provides one backed by {@code ws.templates}, {@code ws.defaults} and
 * {@code ws.clients}, validating as for configured clients.
 */
public interface WsClientSettingsSource {

	/**
	 * The settings of a client created at run time.
	 * @param name the client's name
	 * @param spec the template and keys set in code
	 * @return the validated settings
	 * @throws IllegalArgumentException naming the culprit and the fix when the template
	 * is unknown or a setting is missing or invalid
	 */
	WsClientSettings created(String name, WsClientSpec spec);

	/**
	 * The settings of one shard of {@code ws.clients.<group>}: {@code {shard}} and
	 * {@code {shards}} in the URL and header values replaced.
	 * @param shard the shard
	 * @return the validated settings, named {@link WsShard#clientName()}
	 */
	WsClientSettings shard(WsShard shard);

}
