/**
 * Cluster ownership of singleton clients and shards on Spring Integration's
 * {@code LockRegistry}: one lock per client, renewed while owned, given up before it can
 * expire. The only package importing {@code org.springframework.integration}.
 */
@NullMarked
package dev.wsboot.cluster;

import org.jspecify.annotations.NullMarked;
