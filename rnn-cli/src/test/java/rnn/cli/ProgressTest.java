package rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import rnn.lm.train.StepStats;

/** Issue 13: progress never goes silent off a terminal, and never floods a log. */
class ProgressTest {

    @Test
    void offATerminalOneLinePerPeriodWithStepRateEtaAndTheLastValidation() throws Exception {
        StringWriter log = new StringWriter();
        Progress p = new Progress(new PrintWriter(log), 3, 0.05, false);
        p.batch(1, 1, 1000, 9.5, 1200);
        assertEquals("progress: epoch 1/3  batch 1/1,000 (0.1%)  ppl 9.500  1,200 tok/s  started",
                log.toString().strip(), "the first batch, at once, with no ETA from warm-up");
        p.batch(1, 2, 1000, 9.5, 1200);
        assertEquals(1, log.toString().lines().count(), "nothing more before the period is up");
        log.getBuffer().setLength(0);
        Thread.sleep(60);
        p.validation(new StepStats(2, 1, 2, 9.0, 8.75, 1300));
        p.batch(1, 3, 1000, 9.25, 1250);
        for (int i = 4; i < 50; i++) {
            p.batch(1, i, 1000, 9.0, 1250); // within the period: no line
        }
        String text = log.toString();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("progress: epoch 1/3  batch 3/1,000 (0.3%)  ppl 9.250  1,250 tok/s  ETA epoch "), text);
        assertTrue(text.contains(", run ") && text.strip().endsWith("val 8.750 (step 2)"), text);
        assertTrue(!text.contains("\r"), "no carriage returns in a log");
    }

    @Test
    void onATerminalABarThatClears() {
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out), 2, 30, true);
        p.batch(1, 10, 10, 5.0, 100);
        assertTrue(out.toString().startsWith("\r[============            ] epoch 1/2  ppl 5.000"), out.toString());
        p.clear();
        assertTrue(out.toString().endsWith("\r"), "cleared");
    }
}
