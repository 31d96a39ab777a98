/**
 * tfjs LayersModels on disk without tfjs-node (its `file://` handler needs
 * libtensorflow): a save handler that writes `model.json` + `weights.bin` in
 * the standard layout tfjs's converter and `http://` loader use (with the
 * model's `userDefinedMetadata`, e.g. export's preprocessing), and a load
 * handler for `tf.loadLayersModel` that reads them back. `registerFileRouters()`
 * makes `model.save("file://dir")` and `tf.loadLayersModel("file://dir/model.json")`
 * use them, as they would with tfjs-node.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { writeFileAtomic } from "../folders/index.js";
import { EXPORT_CODES } from "./codes.js";
// Registers figs's own layer classes (grouped conv, hardsigmoid, hardswish) with tfjs's
// serialisation, so a saved model that uses them loads here.
import "../ops/index.js";

export const MODEL_FILE = "model.json";
export const WEIGHTS_FILE = "weights.bin";

/** `model.save(fileSaveHandler(dir))` writes dir/model.json and dir/weights.bin (dir must exist). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    const weightData =
      artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson = {
      format: artifacts.format ?? "layers-model",
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: "figs export",
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      // model.setUserDefinedMetadata(…) before save; tfjs's own loaders read it back from here.
      ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
    };
    // A failed write throws here, which tfjs turns into the rejection of model.save(): callers catch it.
    for (const [file, data] of [
      [WEIGHTS_FILE, new Uint8Array(weightData)],
      [MODEL_FILE, JSON.stringify(modelJson)],
    ] as const) {
      const written = writeFileAtomic(join(dir, file), data);
      if (!written.ok) throw new Error(written.diagnostic.message);
    }
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

interface ModelJsonFile {
  readonly modelTopology: object;
  readonly format?: string;
  readonly generatedBy?: string;
  readonly convertedBy?: string | null;
  readonly weightsManifest: readonly {
    readonly paths: readonly string[];
    readonly weights: tf.io.WeightsManifestEntry[];
  }[];
  readonly userDefinedMetadata?: { [key: string]: object };
}

/** `tf.loadLayersModel(fileLoadHandler(dir))`: reads dir/model.json and the weight files it lists. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async (): Promise<tf.io.ModelArtifacts> => {
      const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), "utf8")) as ModelJsonFile;
      const buffers = json.weightsManifest.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path))));
      const bytes = new Uint8Array(buffers.reduce((total, b) => total + b.byteLength, 0));
      let offset = 0;
      for (const buffer of buffers) {
        bytes.set(buffer, offset);
        offset += buffer.byteLength;
      }
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: bytes.buffer,
        ...(json.format === undefined ? {} : { format: json.format }),
        ...(json.generatedBy === undefined ? {} : { generatedBy: json.generatedBy }),
        ...(json.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: json.userDefinedMetadata }),
      };
    },
  };
}

export interface LoadedModel {
  readonly model?: tf.LayersModel;
  readonly diagnostics: readonly Diagnostic[];
}

/** Loads a saved LayersModel; missing or corrupt files are a diagnostic, not an exception. */
export async function loadModelFromDirectory(dir: string): Promise<LoadedModel> {
  try {
    return { model: await tf.loadLayersModel(fileLoadHandler(dir)), diagnostics: [] };
  } catch (cause) {
    const message = `cannot load the model in ${dir}: ${cause instanceof Error ? cause.message : String(cause)}`;
    const code = existsSync(join(dir, MODEL_FILE)) ? EXPORT_CODES.corruptModel : EXPORT_CODES.readFailed;
    return { diagnostics: [fileError(code, message, join(dir, MODEL_FILE))] };
  }
}

const FILE_SCHEME = "file://";
type Router = Parameters<typeof tf.io.registerSaveRouter>[0];
let routersRegistered = false;

/**
 * Routes `file://` URLs to the handlers above (once per process). A save URL
 * names the directory; a load URL names model.json (or its directory).
 */
export function registerFileRouters(): void {
  if (routersRegistered) return;
  routersRegistered = true;
  const pathOf = (url: string | string[]): string | undefined => {
    const first = Array.isArray(url) ? url[0] : url;
    return first?.startsWith(FILE_SCHEME) ? first.slice(FILE_SCHEME.length) : undefined;
  };
  // tfjs types a router as always returning a handler; at run time null means "not mine".
  const saveRouter = (url: string | string[]): tf.io.IOHandler | null => {
    const dir = pathOf(url);
    if (dir === undefined) return null;
    mkdirSync(dir, { recursive: true });
    return fileSaveHandler(dir);
  };
  const loadRouter = (url: string | string[]): tf.io.IOHandler | null => {
    const path = pathOf(url);
    if (path === undefined) return null;
    return fileLoadHandler(basename(path) === MODEL_FILE ? dirname(path) : path);
  };
  tf.io.registerSaveRouter(saveRouter as Router);
  tf.io.registerLoadRouter(loadRouter as Router);
}
