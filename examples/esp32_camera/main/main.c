/* SPDX-License-Identifier: MIT */
/*
 * ESP32 camera example: capture one JPEG frame with the esp32-camera
 * driver, upload it with fc_files_upload and print the share link.
 *
 * This file holds the ESP-IDF-specific parts (Wi-Fi, camera, the task);
 * the client set-up is ../../common/firmware/fc_firmware_client.c and the
 * upload itself upload_frame.c, neither with an SDK dependency. See
 * README.md.
 */
#include <stdio.h>

#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_camera.h"
#include "esp_log.h"
#include "nvs_flash.h"
#include "esp_netif.h"
#include "esp_event.h"
#include "protocol_examples_common.h" /* example_connect(): Wi-Fi from menuconfig */

#include "fc_firmware_client.h"
#include "upload_frame.h"

/* The TLS handshake (certificate chain, ECDHE) needs several KiB of stack:
 * far more than app_main's CONFIG_ESP_MAIN_TASK_STACK_SIZE (3584 bytes by
 * default), so the upload runs in a task of its own. */
#define UPLOAD_TASK_STACK    10240
#define UPLOAD_TASK_PRIORITY 5

static const char *TAG = "fc_camera";

/* Static, not on a task stack: the client holds the I/O buffer and tokens. */
static fc_firmware_client s_fw;
static upload_frame_job s_job;

/* EMBED_TXTFILES appends the NUL that mbedTLS needs to parse PEM. */
extern const uint8_t server_ca_pem_start[] asm("_binary_server_ca_pem_start");
extern const uint8_t server_ca_pem_end[] asm("_binary_server_ca_pem_end");

static esp_err_t camera_init(void)
{
    camera_config_t cfg = {
        /* Pins of the AI-Thinker ESP32-CAM; change for your board. */
        .pin_pwdn = 32,
        .pin_reset = -1,
        .pin_xclk = 0,
        .pin_sccb_sda = 26,
        .pin_sccb_scl = 27,
        .pin_d7 = 35,
        .pin_d6 = 34,
        .pin_d5 = 39,
        .pin_d4 = 36,
        .pin_d3 = 21,
        .pin_d2 = 19,
        .pin_d1 = 18,
        .pin_d0 = 5,
        .pin_vsync = 25,
        .pin_href = 23,
        .pin_pclk = 22,
        .xclk_freq_hz = 20000000,
        .ledc_timer = LEDC_TIMER_0,
        .ledc_channel = LEDC_CHANNEL_0,
        .pixel_format = PIXFORMAT_JPEG,
        .frame_size = FRAMESIZE_VGA,
        .jpeg_quality = 12,
        .fb_count = 1,
        .fb_location = CAMERA_FB_IN_PSRAM,
        .grab_mode = CAMERA_GRAB_WHEN_EMPTY,
    };
    return esp_camera_init(&cfg);
}

static void upload_one_frame(void)
{
    camera_fb_t *fb = esp_camera_fb_get();
    if (fb == NULL) {
        ESP_LOGE(TAG, "no frame from the camera");
        return;
    }
    fc_err r = fc_firmware_client_run(
        &s_fw, upload_frame_start(&s_job, &s_fw.client, fb->buf, fb->len, "frame.jpg"));
    esp_camera_fb_return(fb); /* only now: the upload read from fb->buf */
    if (r == FC_OK) {
        printf("uploaded: %s\n", upload_frame_link(&s_job));
    } else {
        const fc_error_info *e = fc_client_error(&s_fw.client);
        ESP_LOGE(TAG, "upload failed: %s (step %s, HTTP %d, %s)", fc_err_str(r), e->step,
                 e->http_status, e->detail);
    }
}

static void upload_task(void *arg)
{
    (void)arg;
    fc_err r = fc_firmware_client_init(
        &s_fw, CONFIG_EXAMPLE_FC_BASE_URL, CONFIG_EXAMPLE_FC_API_KEY, server_ca_pem_start,
        (size_t)(server_ca_pem_end - server_ca_pem_start), NULL, NULL);
    if (r != FC_OK) {
        ESP_LOGE(TAG, "client set-up failed: %s (main/server_ca.pem)", fc_err_str(r));
    } else {
        upload_one_frame();
        fc_firmware_client_free(&s_fw);
    }
    ESP_LOGI(TAG, "upload task: %u bytes of stack never used",
             (unsigned)uxTaskGetStackHighWaterMark(NULL));
    vTaskDelete(NULL);
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_netif_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(example_connect());
    ESP_ERROR_CHECK(camera_init());
    if (xTaskCreate(upload_task, "fc_upload", UPLOAD_TASK_STACK, NULL, UPLOAD_TASK_PRIORITY,
                    NULL) != pdPASS) {
        ESP_LOGE(TAG, "cannot create the upload task");
    }
}
