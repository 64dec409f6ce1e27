package dev.wsboot.autoconfigure;

import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose material can be replaced: every engine and socket factory
 * it creates comes from the context it currently holds. Transports keep their
 * {@code SSLContext} for the life of a client (the jdk transport keys its HTTP clients by
 * it), so a reloaded SSL bundle reaches the next connection through this one object.
 * Connections already open keep the material they were opened with.
 */
final class ReloadableSslContext extends SSLContext {

	private final Delegating spi;

	ReloadableSslContext(SSLContext initial) {
		this(new Delegating(initial), initial);
	}

	private ReloadableSslContext(Delegating spi, SSLContext initial) {
		super(spi, initial.getProvider(), initial.getProtocol());
		this.spi = spi;
	}

	/**
	 * Use the given material for every connection from now on.
	 * @param context the new context, initialized
	 */
	void update(SSLContext context) {
		this.spi.current = context;
	}

	/** The context currently used. */
	SSLContext current() {
		return this.spi.current;
	}

	private static final class Delegating extends SSLContextSpi {

		private volatile SSLContext current;

		Delegating(SSLContext initial) {
			this.current = initial;
		}

		@Override
		protected void engineInit(KeyManager[] keyManagers, TrustManager[] trustManagers, SecureRandom random)
				throws KeyManagementException {
			throw new KeyManagementException("Initialized by its SSL bundle");
		}

		@Override
		protected SSLSocketFactory engineGetSocketFactory() {
			return this.current.getSocketFactory();
		}

		@Override
		protected SSLServerSocketFactory engineGetServerSocketFactory() {
			return this.current.getServerSocketFactory();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine() {
			return this.current.createSSLEngine();
		}

		@Override
		protected SSLEngine engineCreateSSLEngine(String host, int port) {
			return this.current.createSSLEngine(host, port);
		}

		@Override
		protected SSLSessionContext engineGetServerSessionContext() {
			return this.current.getServerSessionContext();
		}

		@Override
		protected SSLSessionContext engineGetClientSessionContext() {
			return this.current.getClientSessionContext();
		}

		@Override
		protected SSLParameters engineGetDefaultSSLParameters() {
			return this.current.getDefaultSSLParameters();
		}

		@Override
		protected SSLParameters engineGetSupportedSSLParameters() {
			return this.current.getSupportedSSLParameters();
		}

	}

}
