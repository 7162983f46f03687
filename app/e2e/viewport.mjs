// What a DICOM viewport of the app shows, read from its canvas (the browser tests' shared check).

/** What the DICOM viewport in `scope` shows: the size of the image Cornerstone decoded, and
 * whether its canvas is blank (distinct grey levels, the share of lit pixels). */
export async function viewportShows(page, scope) {
  const viewport = page.locator(`${scope} .dicom-viewport[data-rows]`);
  await viewport.waitFor({ timeout: 60_000 });
  return viewport.evaluate(async (el) => {
    // The first frame is drawn on the next animation frame after the stack is set.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const c = el.querySelector('canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const values = new Set();
    let lit = 0;
    for (let k = 0; k < data.length; k += 4) { values.add(data[k] * 65536 + data[k + 1] * 256 + data[k + 2]); if (data[k] + data[k + 1] + data[k + 2] > 48) lit++; }
    return { rows: Number(el.dataset.rows), columns: Number(el.dataset.columns), canvas: `${c.width}×${c.height}`, distinct: values.size, lit: lit / (data.length / 4), caption: el.parentElement.querySelector('.dicom-caption')?.textContent ?? '' };
  });
}
