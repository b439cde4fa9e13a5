/**
 * Runs `work` over `items` with at most `lanes` at a time and waits for every
 * one to settle (never leaves work running behind a failure). Results keep the
 * items' order.
 *
 * A sync run uses it across datasets: their pulls and digests are independent
 * (one cursor, one digest each), so a run with nothing to do costs about three
 * round trips (catalog, pulls, digests) instead of one per dataset and call.
 * SQLite work stays serialised by the store's transaction lock.
 */
export async function inLanes<T, R>(items: readonly T[], lanes: number, work: (item: T) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results = new Array<PromiseSettledResult<R>>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const at = next;
      next += 1;
      try {
        results[at] = { status: 'fulfilled', value: await work(items[at] as T) };
      } catch (reason) {
        results[at] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}
