{
  "targets": [
    {
      "target_name": "figs_kernels",
      "sources": ["src/addon.cc", "src/pool.cc", "src/gemm.cc", "src/conv.cc", "src/depthwise.cc", "src/batchnorm.cc", "src/pooling.cc", "src/elementwise.cc", "src/winograd.cc", "src/winograd4.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-O3", "-std=c++17"] },
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
