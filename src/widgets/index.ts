// dl.widgets: Jupyter widgets from TypeScript (the standard ipywidgets front end renders them).
import "./control-comm.js";

export { Widget, WIDGET_VIEW_MIME, type Change, type ModelSpec } from "./model.js";
export {
  ValueWidget,
  Dropdown,
  ToggleButton,
  Checkbox,
  Text,
  Button,
  IntProgress,
  FloatProgress,
  Label,
  HTML,
  type DropdownOptions,
  type ProgressOptions,
  type DescribedOptions,
  type ButtonStyle,
} from "./controls.js";
export {
  IntSlider,
  FloatSlider,
  FloatLogSlider,
  type SliderOptions,
  type LogSliderOptions,
} from "./sliders.js";
export { Output, HBox, VBox, type OutputEntry } from "./containers.js";
export { interact, Interactive, controlFor, type ControlSpec } from "./interact.js";
export { StopButton, bind, lrSlider, poll } from "./steer.js";
export {
  setCommTransport,
  commTransport,
  type Comm,
  type CommData,
  type CommBuffers,
  type CommTransport,
  type CommOpenHandler,
} from "./transport.js";
