/**
 * Auto-configuration of the {@code wsclients} actuator endpoint.
 */
@NullMarked
package dev.wsboot.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
