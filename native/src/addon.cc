// N-API bindings. Every array argument is a Float32Array (often a view on the
// tfjs wasm heap); shapes are checked on the JS side (runtime/kernels/native.ts).
#include <node_api.h>

#include <cstdint>
#include <thread>

#include "kernels.h"
#include "pool.h"

namespace {

using figs::Geometry;

bool cpu_ok() {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return true;
#endif
}

napi_value fail(napi_env env, const char* msg) {
  napi_throw_type_error(env, nullptr, msg);
  return nullptr;
}

// The data of a typed array of the wanted type (and its length), or false.
template <typename T>
bool typed(napi_env env, napi_value v, napi_typedarray_type wanted, T** out, size_t* length = nullptr) {
  napi_typedarray_type type;
  size_t count;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &count, &data, &buffer, &offset) != napi_ok) return false;
  if (type != wanted) return false;
  *out = static_cast<T*>(data);
  if (length != nullptr) *length = count;
  return true;
}

bool f32(napi_env env, napi_value v, float** out) { return typed(env, v, napi_float32_array, out); }

bool i32(napi_env env, napi_value v, int32_t** out, size_t* length) {
  return typed(env, v, napi_int32_array, out, length);
}

bool geometry(napi_env env, napi_value v, Geometry* g) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset) != napi_ok) return false;
  if (type != napi_int32_array || length != figs::kGeometryFields) return false;
  const int32_t* p = static_cast<const int32_t*>(data);
  long* fields = &g->batch;
  for (int i = 0; i < figs::kGeometryFields; i++) fields[i] = p[i];
  return true;
}

double number(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

using ConvFn = void (*)(const float*, const float*, const Geometry&, float*);

// (a: Float32Array, b: Float32Array, geometry: Int32Array, out: Float32Array)
template <ConvFn FN>
napi_value conv(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float *a, *b, *out;
  Geometry g;
  if (argc != 4 || !f32(env, argv[0], &a) || !f32(env, argv[1], &b) || !geometry(env, argv[2], &g) ||
      !f32(env, argv[3], &out))
    return fail(env, "expected (Float32Array, Float32Array, Int32Array(16), Float32Array)");
  FN(a, b, g, out);
  return nullptr;
}

// conv<FN> for the Winograd kernels, which throw on a geometry they do not cover.
template <ConvFn FN>
napi_value winograd(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  Geometry g;
  if (argc == 4 && geometry(env, argv[2], &g) && !figs::winograd_applies(g))
    return fail(env, "Winograd: only 3x3, stride-1, undilated convs");
  return conv<FN>(env, info);
}

// (x, gamma, beta, scale, rows, channels, eps, relu, y, mean, invStd)
napi_value bn_forward(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value v[11];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *x, *gamma, *beta, *scale, *y, *mean, *inv;
  if (argc != 11 || !f32(env, v[0], &x) || !f32(env, v[1], &gamma) || !f32(env, v[2], &beta) ||
      !f32(env, v[3], &scale) || !f32(env, v[8], &y) || !f32(env, v[9], &mean) || !f32(env, v[10], &inv))
    return fail(env, "bnForward: bad arguments");
  figs::BnArgs a{static_cast<long>(number(env, v[4])), static_cast<long>(number(env, v[5])),
                 static_cast<float>(number(env, v[6])), number(env, v[7]) != 0};
  figs::bn_forward(x, gamma, beta, scale, a, y, mean, inv);
  return nullptr;
}

// (dy, x, mean, invStd, gamma, beta, scale, rows, channels, relu, dx, grads)
napi_value bn_backward(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value v[12];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *dy, *x, *mean, *inv, *gamma, *beta, *scale, *dx, *grads;
  if (argc != 12 || !f32(env, v[0], &dy) || !f32(env, v[1], &x) || !f32(env, v[2], &mean) || !f32(env, v[3], &inv) ||
      !f32(env, v[4], &gamma) || !f32(env, v[5], &beta) || !f32(env, v[6], &scale) || !f32(env, v[10], &dx) ||
      !f32(env, v[11], &grads))
    return fail(env, "bnBackward: bad arguments");
  figs::BnArgs a{static_cast<long>(number(env, v[7])), static_cast<long>(number(env, v[8])), 0.0f,
                 number(env, v[9]) != 0};
  figs::bn_backward(dy, x, mean, inv, gamma, beta, scale, a, dx, grads);
  return nullptr;
}

// (y, rows, channels, bias: Float32Array | null, activation)
napi_value bias_activation(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value v[5];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *y, *bias = nullptr;
  napi_valuetype bias_type;
  if (argc != 5 || !f32(env, v[0], &y) || napi_typeof(env, v[3], &bias_type) != napi_ok)
    return fail(env, "biasActivation: bad arguments");
  if (bias_type != napi_null && !f32(env, v[3], &bias)) return fail(env, "biasActivation: bias must be Float32Array or null");
  figs::bias_activation(y, static_cast<long>(number(env, v[1])), static_cast<long>(number(env, v[2])), bias,
                        static_cast<int>(number(env, v[4])));
  return nullptr;
}

// (x, rows, channels, divisor, out)
napi_value channel_sum(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value v[5];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *x, *out;
  if (argc != 5 || !f32(env, v[0], &x) || !f32(env, v[4], &out)) return fail(env, "channelSum: bad arguments");
  figs::channel_sum(x, static_cast<long>(number(env, v[1])), static_cast<long>(number(env, v[2])),
                    static_cast<float>(number(env, v[3])), out);
  return nullptr;
}

// (x, rows, channels, masks, indices: Int32Array, y); indices are checked on the JS side
napi_value channel_mask(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value v[6];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *x, *m, *y;
  int32_t* idx;
  size_t n = 0;
  if (argc != 6 || !f32(env, v[0], &x) || !f32(env, v[3], &m) || !i32(env, v[4], &idx, &n) || !f32(env, v[5], &y))
    return fail(env, "channelMask: bad arguments");
  figs::channel_mask(x, static_cast<long>(number(env, v[1])), static_cast<long>(number(env, v[2])), m, idx, y);
  return nullptr;
}

// (dy, x, rows, channels, masks, indices: Int32Array, dx, dmasks)
napi_value channel_mask_grad(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value v[8];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *dy, *x, *m, *dx, *dm;
  int32_t* idx;
  size_t n = 0, masks = 0;
  if (argc != 8 || !f32(env, v[0], &dy) || !f32(env, v[1], &x) || !f32(env, v[4], &m) ||
      !i32(env, v[5], &idx, &n) || !f32(env, v[6], &dx) || !f32(env, v[7], &dm))
    return fail(env, "channelMaskGrad: bad arguments");
  napi_get_typedarray_info(env, v[7], nullptr, &masks, nullptr, nullptr, nullptr);
  figs::channel_mask_grad(dy, x, static_cast<long>(number(env, v[2])), static_cast<long>(number(env, v[3])), m, idx,
                          static_cast<long>(masks), dx, dm);
  return nullptr;
}

// (a, b, out), all of one length
napi_value add(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value v[3];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *a, *b, *out;
  size_t n = 0;
  if (argc != 3 || !f32(env, v[0], &a) || !f32(env, v[1], &b) || !typed(env, v[2], napi_float32_array, &out, &n))
    return fail(env, "add: bad arguments");
  figs::add(a, b, static_cast<long>(n), out);
  return nullptr;
}

// (dy, x, cap, dx), all of one length
napi_value relu_grad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value v[4];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *dy, *x, *dx;
  if (argc != 4 || !f32(env, v[0], &dy) || !f32(env, v[1], &x) || !f32(env, v[3], &dx)) return fail(env, "reluGrad: bad arguments");
  size_t n = 0;
  napi_get_typedarray_info(env, v[3], nullptr, &n, nullptr, nullptr, nullptr);
  figs::relu_grad(dy, x, static_cast<long>(n), static_cast<float>(number(env, v[2])), dx);
  return nullptr;
}

// (src, srcStride, dst, dstStride, rows, width)
napi_value copy_rows(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value v[6];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  float *src, *dst;
  if (argc != 6 || !f32(env, v[0], &src) || !f32(env, v[2], &dst)) return fail(env, "copyRows: bad arguments");
  figs::copy_rows(src, static_cast<long>(number(env, v[1])), dst, static_cast<long>(number(env, v[3])),
                  static_cast<long>(number(env, v[4])), static_cast<long>(number(env, v[5])));
  return nullptr;
}

napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value v[1];
  napi_get_cb_info(env, info, &argc, v, nullptr, nullptr);
  if (argc == 1) figs::pool().resize(static_cast<int>(number(env, v[0])));
  napi_value out;
  napi_create_int32(env, figs::pool().threads(), &out);
  return out;
}

void export_fn(napi_env env, napi_value exports, const char* name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, nullptr, &fn);
  napi_set_named_property(env, exports, name, fn);
}

napi_value init(napi_env env, napi_value exports) {
  napi_value ok;
  napi_get_boolean(env, cpu_ok(), &ok);
  napi_set_named_property(env, exports, "cpuSupported", ok);
  export_fn(env, exports, "conv2dForward", conv<figs::conv2d_forward>);
  export_fn(env, exports, "conv2dFilterGrad", conv<figs::conv2d_filter_grad>);
  export_fn(env, exports, "conv2dInputGrad", conv<figs::conv2d_input_grad>);
  export_fn(env, exports, "conv2dWinogradForward", winograd<figs::conv2d_winograd_forward>);
  export_fn(env, exports, "conv2dWinogradInputGrad", winograd<figs::conv2d_winograd_input_grad>);
  export_fn(env, exports, "conv2dWinograd4Forward", winograd<figs::conv2d_winograd4_forward>);
  export_fn(env, exports, "conv2dWinograd4InputGrad", winograd<figs::conv2d_winograd4_input_grad>);
  export_fn(env, exports, "conv2dWinograd4FilterGrad", winograd<figs::conv2d_winograd4_filter_grad>);
  export_fn(env, exports, "depthwiseForward", conv<figs::depthwise_forward>);
  export_fn(env, exports, "depthwiseFilterGrad", conv<figs::depthwise_filter_grad>);
  export_fn(env, exports, "depthwiseInputGrad", conv<figs::depthwise_input_grad>);
  export_fn(env, exports, "maxPoolGrad", conv<figs::max_pool_grad>);
  export_fn(env, exports, "avgPoolGrad", conv<figs::avg_pool_grad>);
  export_fn(env, exports, "bnForward", bn_forward);
  export_fn(env, exports, "bnBackward", bn_backward);
  export_fn(env, exports, "biasActivation", bias_activation);
  export_fn(env, exports, "channelSum", channel_sum);
  export_fn(env, exports, "reluGrad", relu_grad);
  export_fn(env, exports, "add", add);
  export_fn(env, exports, "channelMask", channel_mask);
  export_fn(env, exports, "channelMaskGrad", channel_mask_grad);
  export_fn(env, exports, "copyRows", copy_rows);
  export_fn(env, exports, "setThreads", set_threads);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
