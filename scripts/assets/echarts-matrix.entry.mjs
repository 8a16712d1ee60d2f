// The parts of ECharts the matrix page uses (scatter, grid, tooltip, mark lines and areas, graphic
// text, canvas), bundled by scripts/build-assets.js instead of the 1 MB full build. matrix.js reads
// `window.echarts`.
import { init, use, format } from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  ScatterChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  MarkAreaComponent,
  GraphicComponent,
  CanvasRenderer,
]);

globalThis.echarts = { init, format };
