/**
 * The {@code bucketload} command line. Each subcommand parses its options, builds a pipeline, runs
 * it and maps the outcome to an {@link io.bucketload.app.ExitCode}; the work is done by the core.
 */
package io.bucketload.app;
