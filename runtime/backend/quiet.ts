// Imported (for its effect) by every part of figs that runs TensorFlow.js:
// the backend selection here, and the commands that export models without
// selecting a backend (figs sample, figs scale). tfjs's `cpu` backend prints
// "Hi, looks like you are running TensorFlow.js in Node.js. To speed things
// up dramatically, install our node backend…" on its first tensor under
// Node; figs picks its backend itself and prints which (select.ts), so the
// banner only confuses. tfjs prints it through its own log, which production
// mode silences; in tfjs 4.x that flag (PROD) gates nothing but that log.
import * as tf from "@tensorflow/tfjs";

tf.enableProdMode();
