package io.shiftsr.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.shiftsr.engine.Engine;
import io.shiftsr.engine.Tensor;
import io.shiftsr.model.SrNetwork;
import io.shiftsr.sr.ModelFiles;
import io.shiftsr.train.Checkpoints;
import io.shiftsr.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `export --average`: the model file holds the element-wise mean of the checkpoints' EMA weights. */
class ExportAverageTest {
    @TempDir
    Path dir;

    /**
     * A training checkpoint of configs/tiny.yaml (with {@code overrides}) in {@code runDir}, its network made from
     * {@code seed} and saved as step {@code seed}: what export reads.
     */
    static Path tinyCheckpoint(Path runDir, long seed, List<String> overrides) throws Exception {
        TrainConfig cfg = TrainConfig.load(Path.of("configs/tiny.yaml"), overrides);
        Engine.init();
        SrNetwork net = new SrNetwork(cfg.model(), seed);
        Map<String, Tensor> p = net.namedParameters();
        io.shiftsr.train.AdamW adam = new io.shiftsr.train.AdamW(p, 0.9, 0.99, 0);
        return new Checkpoints(runDir, 3).save(seed, 1, cfg.toYaml(),
                Checkpoints.stateOf(p, new io.shiftsr.train.Ema(p, 0.9), adam));
    }

    private Path checkpoint(String run, long seed, List<String> overrides) throws Exception {
        return tinyCheckpoint(dir.resolve(run), seed, overrides);
    }

    private static Map<String, Tensor> weights(Path model) {
        return ModelFiles.load(model).net().namedParameters();
    }

    @Test
    void theAverageIsTheMeanOfEveryTensorAndOtherNetworksAreRefused() throws Exception {
        Path a = checkpoint("a", 1, List.of()), b = checkpoint("b", 2, List.of()), c = checkpoint("c", 3, List.of());
        Path ma = dir.resolve("a.safetensors"), mb = dir.resolve("b.safetensors"), mc = dir.resolve("c.safetensors");
        Path mean = dir.resolve("mean.safetensors");
        for (Path[] pair : new Path[][] {{a, ma}, {b, mb}, {c, mc}}) {
            CliTest.Run r = CliTest.run("export", "--checkpoint", pair[0].toString(), "--out", pair[1].toString());
            assertEquals(0, r.code(), r.err());
        }
        CliTest.Run r = CliTest.run("export", "--checkpoint", a.toString(), "--average", b.toString(), "--average",
                c.toString(), "--out", mean.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("averaged with 2 more checkpoints"), r.out());
        Map<String, Tensor> wa = weights(ma), wb = weights(mb), wc = weights(mc), wm = weights(mean);
        assertEquals(wa.keySet(), wm.keySet());
        int differing = 0;
        for (String name : wm.keySet()) {
            float[] x = wa.get(name).toFloatArray(), y = wb.get(name).toFloatArray(), z = wc.get(name).toFloatArray();
            float[] m = wm.get(name).toFloatArray();
            for (int i = 0; i < m.length; i++) {
                assertEquals((float) (((double) x[i] + y[i] + z[i]) / 3), m[i], 0f, name + "[" + i + "]");
                differing += x[i] != y[i] ? 1 : 0;
            }
        }
        assertTrue(differing > 1000, "the two seeds gave different weights: " + differing);

        Path wider = checkpoint("wide", 4, List.of("model.width=8"));
        CliTest.Run bad = CliTest.run("export", "--checkpoint", a.toString(), "--average", wider.toString(), "--out",
                dir.resolve("bad.safetensors").toString());
        assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.err());
        assertEquals(1, bad.errLines().size(), bad.err());
        assertTrue(bad.err().contains("model config differs"), bad.err());
        assertFalse(java.nio.file.Files.exists(dir.resolve("bad.safetensors")));
    }
}
