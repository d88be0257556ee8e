/**
 * Shared steps of the Quality CRM tours.
 *
 * qmsScreenshot(name): when the test runs with QMS_SCREENSHOTS set, the Python
 * side sets the cookie qms_screenshots=1 and captures the page when it reads
 * "qms-screenshot:<name>" on the console; the step then waits for the capture
 * (no wait at all in normal test runs).
 */
export function qmsScreenshot(name, trigger = "body") {
    return {
        content: `screenshot ${name}`,
        trigger,
        run: async () => {
            if (!document.cookie.includes("qms_screenshots=1")) {
                return;
            }
            // let the last render and its transitions settle before the capture
            document.activeElement?.blur();
            console.log(`qms-screenshot:${name}`);
            await new Promise((resolve) => setTimeout(resolve, 1500));
        },
    };
}
