/** The {@code rnn} command line: train, generate, eval, backends. The only module that prints. */
module rnn.cli {
    requires rnn.lm;
    requires info.picocli;

    opens rnn.cli to info.picocli;

    provides java.lang.System.LoggerFinder with rnn.cli.ConsoleLoggerFinder;
}
