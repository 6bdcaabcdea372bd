/** Polls `probe` until it returns a truthy value; rethrows its last error on timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  options: { timeoutMs: number; intervalMs: number; what: string; giveUpIf?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const fatal = options.giveUpIf?.();
    if (fatal) throw new Error(`Gave up waiting for ${options.what}: ${fatal}`);
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
