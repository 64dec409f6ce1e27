/**
 * The {@link dev.wsboot.annotation.WsListener} annotation.
 */
@NullMarked
package dev.wsboot.annotation;

import org.jspecify.annotations.NullMarked;
