// Observable Plot at build time: the chart is drawn into a server-side DOM (linkedom) and comes
// out as an SVG string, so the page carries the finished figure and no charting code.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export interface RenderedChart {
  svg: string;
}

/**
 * Renders one Plot chart to SVG markup. `label` becomes the image's accessible name: a sentence
 * saying what the chart shows; the figure's data table carries the numbers.
 */
export function renderPlot(options: Plot.PlotOptions, label: string, fontSize = 13): string {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const chart = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as Element;
  if (chart.tagName.toLowerCase() !== 'svg') {
    throw new Error('renderPlot draws single SVG charts: give the legend in the caption, not as a Plot legend.');
  }
  // Plot names each mark's group ("bar", "rule"): noise to a screen reader, and not allowed on a
  // role-less <g>. The whole chart is one image with one name; the table carries the numbers.
  for (const node of chart.querySelectorAll('[aria-label], [aria-description]')) {
    node.removeAttribute('aria-label');
    node.removeAttribute('aria-description');
  }
  // The page's CSP allows no inline styles: Plot's own <style> and style attribute go, and the
  // stylesheet (global.css) does their work; the text size becomes a presentation attribute.
  for (const style of chart.querySelectorAll('style')) style.remove();
  chart.removeAttribute('style');
  chart.setAttribute('font-size', String(fontSize));
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  // The chart scales with its column; the viewBox keeps its proportions.
  chart.removeAttribute('width');
  chart.removeAttribute('height');
  return chart.outerHTML;
}
