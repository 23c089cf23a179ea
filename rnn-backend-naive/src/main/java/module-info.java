/** The readable reference backend: plain Java loops, one thread, no tricks. */
module rnn.backend.naive {
    requires rnn.api;

    provides rnn.api.BackendProvider with rnn.backend.naive.NaiveProvider;
}
