/**
 * The run-history pages: what {@code serve --listen} shows at {@code /} and under {@code
 * /pipelines/}, and what {@code runs --html} writes as one file. Rendered on the server as plain
 * HTML with inline CSS and SVG: no script, no font or file from elsewhere, every value escaped
 * (file names, headers and values come from untrusted CSV files).
 */
package io.bucketload.app.page;
