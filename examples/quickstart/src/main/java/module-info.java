/** An application of the framework: it needs the language model's front door and, at run time, a backend. */
module org.example.quickstart {
    requires rnn.lm;
}
