import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { ECharts } from 'echarts/core';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws: bar and line charts on a canvas, with axes, legend and tooltip.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSpec {
  kind: 'bar' | 'line';
  categories: string[];
  /**
   * null: a figure this caller may not see (an open quarter, a suppressed small count): drawn as a
   * gap, never as 0, and shown in the data table as `missing` says.
   */
  series: Array<{ name: string; data: Array<number | null>; missing?: Array<string | undefined> }>;
  /** Long category names (sectors) are turned to stay readable. */
  rotateLabels?: boolean;
}

const FONT = 'system-ui, "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif';

/**
 * An ECharts chart on a canvas. Under the page's CSP: no inline <style> or style attribute in
 * markup (ECharts sets its element styles through the DOM, which the CSP allows), and the tooltip
 * is drawn on the canvas too (`renderMode: 'richText'`) rather than as HTML with inline styles.
 */
export default function EChart({
  spec,
  label,
  onReady,
}: {
  spec: ChartSpec;
  label: string;
  onReady?: (png: () => string) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    onReady?.(() => instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }));
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
    // The instance lives as long as the element; new data goes through setOption below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        animation: false,
        textStyle: { fontFamily: FONT },
        color: PALETTE,
        tooltip: { trigger: 'axis', renderMode: 'richText', confine: true },
        legend: { type: 'scroll', top: 0, left: 0, right: 0 },
        grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: spec.categories,
          axisLabel: spec.rotateLabels ? { rotate: 35, interval: 0 } : { interval: 0 },
        },
        yAxis: { type: 'value', minInterval: 1 },
        series: spec.series.map((s) => ({
          name: s.name,
          type: spec.kind,
          stack: spec.kind === 'bar' ? 'total' : undefined,
          // ECharts leaves '-' out of the drawing (no bar, a break in the line).
          data: s.data.map((v) => v ?? '-'),
          emphasis: { focus: 'series' },
        })),
      },
      { notMerge: true },
    );
  }, [spec]);

  return <div ref={element} className="echart" role="img" aria-label={label} />;
}

/** Colours told apart also by those with a colour-vision deficiency (Okabe-Ito, then Tol's muted). */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
  '#332288',
  '#88CCEE',
  '#44AA99',
  '#117733',
  '#999933',
  '#DDCC77',
  '#CC6677',
  '#882255',
  '#AA4499',
  '#DDDDDD',
];
