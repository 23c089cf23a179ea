/**
 * The SIMD backend: kernels on {@code jdk.incubator.vector}. The incubator module is required
 * statically so that an image without it still boots; the provider then reports itself unusable.
 */
module rnn.backend.vector {
    requires rnn.api;
    requires static jdk.incubator.vector;

    provides rnn.api.BackendProvider with rnn.backend.vector.VectorProvider;
}
