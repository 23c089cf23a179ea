package rnn.lm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;
import rnn.lm.text.Corpus;

/** How a model file names its cell and the cell's settings, today and before cells were plug-ins. */
class CellFileTest {

    static Path saved(Path dir, ModelConfig mc) throws Exception {
        Corpus c = TrainingTest.corpus();
        LanguageModel m = new LanguageModel(c.vocabulary(), c.tokenizer(), mc, TrainingTest.naive(), 3);
        TrainingConfig cfg = OptimizerPluginTest.settings().optEpochs(1).build();
        Trainer t = new Trainer(m, cfg, c.ids(), new int[0]);
        t.run(TrainingListener.NONE);
        Path file = dir.resolve(mc.cell() + ".safetensors");
        ModelFile.save(file, m, cfg, t, Map.of("source", "test"));
        return file;
    }

    static ModelConfig lstm(double forgetBias) {
        return new ModelConfig("lstm", Map.of("forget_bias", forgetBias), 8, 1, new rnn.api.cell.Init.Normal(0.1), 0, 0);
    }

    @Test
    void theCellAndEverySettingAreStoredAndReadBack(@TempDir Path dir) throws Exception {
        Path file = saved(dir, lstm(1.0));
        Map<String, String> meta = Safetensors.read(file).metadata();
        assertEquals("lstm", meta.get("cell"));
        assertEquals("{\"forget_bias\":1.0}", meta.get("cell_options"));
        ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
        assertEquals(Map.of("forget_bias", 1.0), loaded.model().net().cellOptions());
        Path gru = saved(dir, new ModelConfig("gru", Map.of(), 8, 1, new rnn.api.cell.Init.Normal(0.1), 0, 0));
        assertEquals("{}", Safetensors.read(gru).metadata().get("cell_options"));
    }

    @Test
    void filesFromBeforeCellsWerePlugInsKeepTheirForgetBias(@TempDir Path dir) throws Exception {
        // Such files have forget_bias for every cell and no cell_options.
        for (String cell : new String[] {"lstm", "gru"}) {
            ModelConfig mc = cell.equals("lstm") ? lstm(1.0)
                    : new ModelConfig("gru", Map.of(), 8, 1, new rnn.api.cell.Init.Normal(0.1), 0, 0);
            Path file = saved(dir, mc);
            OptimizerPluginTest.rewriteMetadata(file, m -> {
                m.remove("cell_options");
                m.put("forget_bias", cell.equals("lstm") ? "1.0" : "0.0");
                return m;
            });
            ModelFile.Loaded loaded = ModelFile.load(file, TrainingTest.naive());
            assertEquals(cell.equals("lstm") ? Map.of("forget_bias", 1.0) : Map.of(), loaded.model().net().cellOptions(), cell);
        }
    }

    @Test
    void unknownCellsAndBadSettingsAreClearErrors(@TempDir Path dir) throws Exception {
        Path file = saved(dir, lstm(0.0));
        OptimizerPluginTest.rewriteMetadata(file, m -> {
            m.put("cell", "transformer");
            return m;
        });
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ModelFile.load(file, TrainingTest.naive()));
        assertTrue(missing.getMessage().contains("needs cell 'transformer', which no module here provides (have: gru, lstm, mgu, rnn)")
                && missing.getMessage().contains("RNN_PLUGIN_PATH"), missing.getMessage());
        OptimizerPluginTest.rewriteMetadata(file, m -> {
            m.put("cell", "lstm");
            m.put("cell_options", "{\"forget_gate\":1.0}");
            return m;
        });
        CheckpointException bad = assertThrows(CheckpointException.class, () -> ModelFile.load(file, TrainingTest.naive()));
        assertTrue(bad.getMessage().contains("cell lstm has no hyperparameter 'forget_gate'; valid: forget_bias"), bad.getMessage());
    }
}
