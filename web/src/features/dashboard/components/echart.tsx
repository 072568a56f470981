import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import type { ECharts } from 'echarts/core';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { seriesColor } from '../model/palette';

// Only what the dashboard draws: bar and line charts on a canvas, with axes and tooltip. The legend
// is HTML beside the canvas (chart-figure.tsx): it wraps to show every series, in any language.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export interface ChartSpec {
  kind: 'bar' | 'line';
  categories: string[];
  /**
   * null: a figure this caller may not see (an open quarter, a suppressed small count) or one that
   * does not exist yet (a future quarter): drawn as a gap, never as 0, and shown in the data table
   * as `missing` says.
   */
  series: Array<{ name: string; data: Array<number | null>; missing?: Array<string | undefined> }>;
  /** Bars along the horizontal axis, one row per category: long names (sectors) stay readable. */
  horizontal?: boolean;
}

const FONT = 'system-ui, "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif';

/**
 * An ECharts chart on a canvas. Under the page's CSP: no inline <style> or style attribute in
 * markup (ECharts sets its element styles through the DOM, which the CSP allows), and the tooltip
 * is drawn on the canvas too (`renderMode: 'richText'`) rather than as HTML with inline styles.
 * `shown` names the series drawn; each keeps its colour (by its index) whichever others are hidden.
 */
export default function EChart({
  spec,
  shown,
  label,
  onReady,
}: {
  spec: ChartSpec;
  shown: ReadonlySet<string>;
  label: string;
  onReady?: (png: () => string) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // What the last render asked for, for a redraw on resize.
  const drawn = useRef({ spec, shown });

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // The category labels' room follows the width (a phone gives the bars more of it).
    const resize = () => {
      instance.resize();
      draw(instance, drawn.current.spec, drawn.current.shown);
    };
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
    drawn.current = { spec, shown };
    if (chart.current) draw(chart.current, spec, shown);
  }, [spec, shown]);

  return (
    <div
      ref={element}
      className={spec.horizontal ? 'echart horizontal' : 'echart'}
      role="img"
      aria-label={label}
    />
  );
}

function draw(instance: ECharts, spec: ChartSpec, shown: ReadonlySet<string>): void {
  instance.setOption(optionOf(spec, shown, instance.getWidth()), { notMerge: true });
}

function optionOf(spec: ChartSpec, shown: ReadonlySet<string>, width: number) {
  const categories = {
    type: 'category' as const,
    data: spec.categories,
    // Every category named; on the vertical axis long names break into lines within their room.
    axisLabel: spec.horizontal
      ? { interval: 0, width: Math.min(220, Math.round(width * 0.38)), overflow: 'break' as const }
      : // Five fiscal years on a phone: turned a little, so that none is hidden or overlaps.
        { interval: 0, rotate: width < 520 && spec.categories.length > 4 ? 30 : 0 },
    inverse: spec.horizontal ?? false,
  };
  const values = { type: 'value' as const, minInterval: 1 };
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: {
      trigger: 'axis',
      renderMode: 'richText',
      confine: true,
      axisPointer: { type: spec.horizontal ? 'shadow' : 'line' },
    },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: spec.horizontal ? values : categories,
    yAxis: spec.horizontal ? categories : values,
    series: spec.series
      .map((s, i) => ({ s, color: seriesColor(i) }))
      .filter(({ s }) => shown.has(s.name))
      .map(({ s, color }) => ({
        name: s.name,
        type: spec.kind,
        color,
        stack: spec.kind === 'bar' ? 'total' : undefined,
        barMaxWidth: 48,
        // ECharts leaves '-' out of the drawing (no bar, a break in the line).
        data: s.data.map((v) => v ?? '-'),
        emphasis: { focus: 'series' },
      })),
  };
}
