/**
 * Auto-configuration of cluster ownership ({@code ws.cluster.*}) on Spring Integration's
 * {@code LockRegistry}.
 */
@NullMarked
package dev.wsboot.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
