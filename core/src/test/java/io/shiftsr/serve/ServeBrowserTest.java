package io.shiftsr.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page as a user drives it, in Debian's headless chromium through chromedriver: pick a file, choose x2,
 * upscale, wait for the before/after view, and keep a screenshot (target/screenshots/serve-e2e.png).
 */
class ServeBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void uploadWaitCompareAndDownloadInARealBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed");
        Path photo = Path.of("samples/astronaut-lr.png").toAbsolutePath(); // 128x128, in the repo
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,900", "--user-data-dir=" + dir.resolve("profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        try (ServeFixture s = new ServeFixture()) {
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.get(s.url("/"));
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
                // The fixture's model is trained for (2, 4]: the page offers its half-steps there, largest first chosen.
                wait.until(d -> !d.findElements(By.cssSelector("#scale option")).isEmpty());
                assertEquals(java.util.List.of("2", "2.5", "3", "3.5", "4"),
                        browser.findElements(By.cssSelector("#scale option")).stream()
                                .map(o -> o.getDomAttribute("value")).toList());
                assertEquals("4", new Select(browser.findElement(By.id("scale"))).getFirstSelectedOption()
                        .getDomAttribute("value"));
                browser.findElement(By.id("file")).sendKeys(photo.toString());
                new Select(browser.findElement(By.id("scale"))).selectByValue("2");
                browser.findElement(By.id("steps")).clear();
                browser.findElement(By.id("steps")).sendKeys("1");
                WebElement go = browser.findElement(By.id("go"));
                wait.until(ExpectedConditions.elementToBeClickable(go)).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer")));
                JavascriptExecutor js = (JavascriptExecutor) browser;
                assertEquals(256L, js.executeScript("return document.getElementById('after').naturalWidth"));
                String done = browser.findElement(By.id("status")).getText();
                assertTrue(done.startsWith("Done") && done.contains(", 1 step,"), done);
                assertTrue(done.contains("Input: clean."), "what --denoise auto read, said: " + done);
                assertTrue(browser.findElement(By.id("download")).getDomAttribute("href").startsWith("/api/jobs/"));
                // The slider moves the split between before and after.
                js.executeScript("const s = document.getElementById('slider'); s.value = 25;"
                        + " s.dispatchEvent(new Event('input'));");
                assertEquals("25%", js.executeScript("return document.getElementById('split').style.left"));
                Path shot = Path.of("core/target", "screenshots", "serve-e2e.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                assertTrue(Files.size(shot) > 10_000);

                // A TIFF input: no browser but Safari shows it, so the left side is empty (no broken image and
                // its alt text over the result) and the status says so.
                Path tiff = dir.resolve("astronaut.tif");
                assertTrue(javax.imageio.ImageIO.write(javax.imageio.ImageIO.read(photo.toFile()), "tiff", tiff.toFile()));
                js.executeScript("document.getElementById('status').textContent = ''");
                browser.findElement(By.id("file")).sendKeys(tiff.toString());
                wait.until(ExpectedConditions.elementToBeClickable(go)).click();
                wait.until(d -> d.findElement(By.id("status")).getText().startsWith("Done"));
                assertTrue(browser.findElement(By.id("status")).getText().contains("no preview"),
                        browser.findElement(By.id("status")).getText());
                assertEquals("hidden", js.executeScript("return document.getElementById('before').style.visibility"));
                assertNull(js.executeScript("return document.getElementById('before').getAttribute('src')"));
            } finally {
                browser.quit();
            }
        }
    }
}
