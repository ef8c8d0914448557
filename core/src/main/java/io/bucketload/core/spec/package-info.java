/**
 * The pipeline file: its YAML reading (with line numbers kept for error messages), {@code ${VAR}}
 * interpolation from the environment, validation, and the immutable {@link
 * io.bucketload.core.spec.PipelineSpec} it produces.
 */
package io.bucketload.core.spec;
