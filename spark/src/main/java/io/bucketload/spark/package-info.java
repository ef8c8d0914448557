/**
 * The same pipeline file on Apache Spark: {@link io.bucketload.spark.SparkLoad} is the driver a
 * {@code spark-submit} (EMR step, AWS Glue job, Kubernetes) starts; each file becomes one Spark
 * task that runs bucketload's own engine against the pipeline's target, and the driver gathers the
 * tasks' reports into one run report and tells the notifiers once.
 */
package io.bucketload.spark;
