/**
 * The backend contract suite: JUnit Jupiter default test methods with QuickTheories properties. A
 * backend's test class implements {@link rnn.testkit.BackendContract} and supplies the backend; the
 * reference backend ("naive") must be on its test class path.
 */
module rnn.testkit {
    requires transitive rnn.api;
    requires transitive org.junit.jupiter.api;
    requires quicktheories;

    exports rnn.testkit;
}
