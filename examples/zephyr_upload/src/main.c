/* SPDX-License-Identifier: MIT */
/*
 * Zephyr sample: sample the die temperature sensor for a minute (or, on a
 * board without one, make a synthetic capture), then upload it as a CSV
 * file through fluidcloud-c: TLS (port/mbedtls) over Zephyr's BSD sockets
 * (port/posix), driven by fc_run(). The upload logic is in
 * capture_upload.c and ../common/firmware/fc_firmware_client.c (no Zephyr
 * calls); this file holds the Zephyr parts. See README.md.
 */
#include <zephyr/kernel.h>
#include <zephyr/device.h>
#include <zephyr/drivers/sensor.h>
#include <zephyr/logging/log.h>
#if defined(CONFIG_MBEDTLS_MEMORY_DEBUG)
#include <mbedtls/memory_buffer_alloc.h>
#endif

#include "capture_upload.h"
#include "fc_firmware_client.h"

LOG_MODULE_REGISTER(fc_sample, LOG_LEVEL_INF);

#define SAMPLES          600 /* one minute at 10 Hz */
#define SAMPLE_PERIOD_MS 100

static int32_t s_samples[SAMPLES];
static capture_job s_job;
static fc_firmware_client s_fw; /* static: holds the I/O buffer and tokens */
static unsigned s_retries;

static const uint8_t s_ca_pem[] = {
#include "server_ca.pem.inc" /* generate_inc_file_for_target() in CMakeLists.txt */
    0x00                     /* mbedTLS parses PEM only with its NUL */
};

#if DT_NODE_EXISTS(DT_ALIAS(die_temp0))
static size_t capture(void)
{
    const struct device *dev = DEVICE_DT_GET(DT_ALIAS(die_temp0));
    size_t n;
    if (!device_is_ready(dev)) {
        LOG_ERR("die temperature sensor not ready");
        return 0;
    }
    for (n = 0; n < SAMPLES; n++) {
        struct sensor_value v;
        if (sensor_sample_fetch(dev) != 0 ||
            sensor_channel_get(dev, SENSOR_CHAN_DIE_TEMP, &v) != 0) {
            break;
        }
        s_samples[n] = v.val1 * 1000 + v.val2 / 1000; /* milli-degrees */
        k_msleep(SAMPLE_PERIOD_MS);
    }
    return n;
}
#else
/* No die-temp0 alias on this board (mps2/an385): a synthetic capture the
 * QEMU test (test/zephyr) can recompute. */
static size_t capture(void)
{
    capture_synthetic(s_samples, SAMPLES);
    return SAMPLES;
}
#endif

/* The library's log (CONFIG_FC_LOG_LEVEL): errors and retries. */
static void on_log(void *ctx, int level, const char *msg)
{
    ARG_UNUSED(ctx);
    if (level <= 1) {
        LOG_ERR("%s", msg);
    } else if (level == 2) {
        s_retries++;
        LOG_WRN("%s", msg);
    } else {
        LOG_INF("%s", msg);
    }
}

static void report_tls_heap(void)
{
#if defined(CONFIG_MBEDTLS_MEMORY_DEBUG)
    size_t used, blocks;
    mbedtls_memory_buffer_alloc_max_get(&used, &blocks);
    printk("fluidcloud: TLS heap peak %u bytes in %u blocks (CONFIG_MBEDTLS_HEAP_SIZE %u)\n",
           (unsigned)used, (unsigned)blocks, (unsigned)CONFIG_MBEDTLS_HEAP_SIZE);
#endif
}

int main(void)
{
    fc_err r = fc_firmware_client_init(&s_fw, CONFIG_SAMPLE_FC_BASE_URL, CONFIG_SAMPLE_FC_API_KEY,
                                       s_ca_pem, sizeof s_ca_pem, on_log, NULL);
    if (r != FC_OK) {
        LOG_ERR("client set-up failed: %s (a CA that does not parse, or no entropy for TLS)",
                fc_err_str(r));
        return 0;
    }
    size_t n = capture();
    int64_t t0 = k_uptime_get();
    r = fc_firmware_client_run(
        &s_fw, capture_upload_start(&s_job, &s_fw.client, s_samples, n, "capture.csv"));
    int64_t ms = k_uptime_get() - t0;
    if (r == FC_OK) {
        printk(
            "fluidcloud: uploaded %u samples (%u bytes) as file %s (size and sha256 "
            "confirmed) in %u ms, %u retries\n",
            (unsigned)n, (unsigned)s_job.up.params.size, s_job.up.progress.file_id, (unsigned)ms,
            s_retries);
    } else {
        const fc_error_info *e = fc_client_error(&s_fw.client);
        printk("fluidcloud: upload failed: %s (step %s, HTTP %d, %u attempts) %s\n", fc_err_str(r),
               e->step, e->http_status, (unsigned)e->attempts, e->detail);
    }
    report_tls_heap();
    fc_firmware_client_free(&s_fw);
    printk("fluidcloud: done\n");
    return 0;
}
