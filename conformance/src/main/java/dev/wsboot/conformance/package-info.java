/**
 * The Autobahn|Testsuite client conformance driver: runs the fuzzing server's cases
 * against the starter's clients (see .ci/autobahn and docs/conformance.md).
 */
package dev.wsboot.conformance;
