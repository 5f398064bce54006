/**
 * The one place that assembles the answering pipeline from its stages: {@link io.tunecho.responder.ResponderPipeline},
 * for the server, the tests and the benchmarks alike. The top of the responder module: nothing in it imports this.
 */
package io.tunecho.responder;
