/** JMH benchmarks of the kernels and of whole training and generation steps, for every backend. */
module rnn.bench {
    requires rnn.api;
    requires jmh.core;
    requires jdk.management;

    exports rnn.bench;
    exports rnn.bench.jmh_generated;
}
