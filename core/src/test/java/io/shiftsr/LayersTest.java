package io.shiftsr;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/DESIGN.md section 12b, checked on the compiled classes: a package uses packages of its own
 * layer or lower ones, never a higher one, and no two packages use each other. The network knows nothing of
 * diffusion or files, the process nothing of the network, storage nothing of the model, and every front end sits
 * on the facade.
 */
class LayersTest {
    /** Lowest first. "" is the facade's own package (io.shiftsr: ShiftSr). */
    static final List<List<String>> LAYERS = List.of(
            List.of("engine", "io"),
            List.of("nn", "image", "weights"),
            List.of("model", "diffusion", "latent", "upscale", "metrics"),
            List.of("sr"),
            List.of("inference"),
            List.of(""),
            List.of("data", "eval", "train", "bench"),
            List.of("cli", "serve"));

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.shiftsr");

    @Test
    void noPackageUsesOneAboveIt() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (int i = 0; i < LAYERS.size(); i++) {
            rule = rule.layer(name(i)).definedBy(LAYERS.get(i).stream()
                    .map(p -> p.isEmpty() ? "io.shiftsr" : "io.shiftsr." + p + "..").toArray(String[]::new));
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            List<String> above = new ArrayList<>();
            for (int j = i + 1; j < LAYERS.size(); j++) {
                above.add(name(j));
            }
            rule = rule.whereLayer(name(i)).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
        }
        rule.whereLayer(name(LAYERS.size() - 1)).mayNotBeAccessedByAnyLayer().check(CLASSES);
    }

    @Test
    void noTwoPackagesUseEachOther() {
        slices().matching("io.shiftsr.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void everyPackageHasALayer() {
        List<String> known = LAYERS.stream().flatMap(List::stream).toList();
        List<String> unplaced = CLASSES.stream().map(c -> c.getPackageName())
                .map(p -> p.equals("io.shiftsr") ? "" : p.substring("io.shiftsr.".length()).split("\\.")[0])
                .distinct().filter(p -> !known.contains(p)).toList();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), unplaced, "packages missing from LAYERS");
    }

    private static String name(int i) {
        return "layer " + i + " " + LAYERS.get(i);
    }
}
