/**
 * Auto-configuration of the {@code wsClients} health contributor.
 */
@NullMarked
package dev.wsboot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
