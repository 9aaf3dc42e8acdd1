/* SPDX-License-Identifier: MIT */
/*
 * mcu_firmware.c - the core on a real MCU instruction set: runs the upload
 * flow (mcu_flow.c) on a Cortex-M3/M4 in qemu-system-arm against a
 * recording of the emulator's answers (mcu_script.h), and measures it.
 *
 *   qemu-system-arm -M mps2-an386 -nographic -icount shift=0 \
 *       -semihosting-config enable=on,target=native,arg=fw,arg=SCRIPT,arg=MODE \
 *       -kernel mcu_firmware_m4.elf
 *
 * MODE is "straight" or "wouldblock" (FC_AGAIN once before every connect
 * poll, send and recv). Passes (exit 0) only when every request equals the
 * recorded one, the recording was replayed to its end, the flow ended in
 * FC_OK with the recorded link, and the library's stack stayed within
 * MCU_STACK_BUDGET.
 *
 * Per phase (one phase per HTTP exchange) it prints:
 *  - instructions: with -icount shift=0 QEMU's virtual clock advances 1 ns
 *    per instruction; the CMSDK timer 0 counts that clock at 25 MHz, so one
 *    tick is 40 instructions (the figures are exact to +-40);
 *  - stack: the stack below the loop is painted before each phase and the
 *    deepest word written is found afterwards: the bytes fc_poll() and
 *    everything it called (library, transport callbacks, memcpy) used.
 */
#include <string.h>

#include "mcu_flow.h"
#include "mcu_script.h"
#include "mcu_semihost.h"

#define MCU_STACK_BUDGET 1024u /* bytes the library's path may use (issue 13) */
#define SCRIPT_MAX       (192u * 1024u)
#define PAINT            0xC5A1AB1Eu
#define INSNS_PER_TICK   40u /* 1 ns per instruction, 25 MHz timer */

/* CMSDK APB timer 0 of the MPS2 FPGA images. */
#define TIMER0_CTRL   (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE  (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)

extern uint32_t __stack_limit[];
int mcu_main(void);

static uint8_t g_script_buf[SCRIPT_MAX];
static mcu_script g_script;
static mcu_flow g_flow;
static mcu_replay g_replay;
static mcu_replay_conn g_conns[MCU_CONNECTIONS];
static fc_transport g_transports[MCU_CONNECTIONS];
static uint32_t g_now_ms = 0xFFFFF000u; /* near the wrap on purpose */
static uint32_t g_seed = 1u;

static uint32_t fake_now(void *ctx)
{
    (void)ctx;
    return g_now_ms;
}

static uint32_t fake_random(void *ctx)
{
    (void)ctx;
    g_seed = g_seed * 1103515245u + 12345u;
    return g_seed >> 8;
}

static void put_field(const char *label, uint32_t v)
{
    mcu_puts(label);
    mcu_put_u32(v);
}

static void timer_start(void)
{
    TIMER0_CTRL = 0;
    TIMER0_RELOAD = 0xFFFFFFFFu;
    TIMER0_VALUE = 0xFFFFFFFFu;
    TIMER0_CTRL = 1u; /* enable; counts down */
}

static uint32_t ticks(void)
{
    return 0xFFFFFFFFu - TIMER0_VALUE;
}

/* The instrument checked against a loop of known length: 2 instructions
 * (subs, bne) per turn. 0 when the timer counts what we assume. */
static int calibrate(void)
{
    uint32_t turns = 500000u, t0, insns;
    t0 = ticks();
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(turns) : : "cc");
    insns = (ticks() - t0) * INSNS_PER_TICK;
    put_field("calibration: a loop of 1000000 instructions measured ", insns);
    mcu_puts("\n");
    return insns > 990000u && insns < 1010000u ? 0 : -1;
}

static inline __attribute__((always_inline)) uintptr_t stack_pointer(void)
{
    uintptr_t sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
}

/* Inlined so it paints below the caller's own frame without a frame of its own. */
static inline __attribute__((always_inline)) void paint_stack(void)
{
    volatile uint32_t *p = __stack_limit;
    volatile uint32_t *end = (volatile uint32_t *)(stack_pointer() & ~(uintptr_t)3u);
    while (p < end) {
        *p++ = PAINT;
    }
}

/* The deepest address written since the last paint (scanned below the
 * caller's stack pointer, which is in use and not painted). */
static inline __attribute__((always_inline)) uintptr_t lowest_written(void)
{
    const volatile uint32_t *p = __stack_limit;
    uintptr_t sp = stack_pointer();
    while ((uintptr_t)p < sp && *p == PAINT) {
        p++;
    }
    return (uintptr_t)p;
}

/* What one phase (one HTTP exchange) cost. */
typedef struct phase_cost {
    uint32_t ticks;
    uint32_t stack;
    uint32_t polls;
} phase_cost;

static phase_cost g_phase[MCU_MAX_EXCHANGES];
static unsigned g_phase_now; /* the phase running */
static uint32_t g_mark;      /* timer when its current stretch began */

/* The replay's hook: exchange `index` is over, the next request begins
 * (called inside fc_poll, from the transport's send). */
static void end_phase(void *ctx, unsigned index)
{
    uint32_t now = ticks();
    (void)ctx;
    g_phase[index].ticks += now - g_mark;
    g_mark = now;
    g_phase_now = index + 1u;
}

static int fail(const char *what, const char *why)
{
    mcu_puts("FAIL: ");
    mcu_puts(what);
    mcu_puts(why != NULL ? why : "");
    mcu_puts("\n");
    return 1;
}

/* "fw SCRIPT MODE": the script's path and whether to would-block. */
static int parse_cmdline(char *line, const char **path, int *would_block)
{
    char *mode;
    char *p = strchr(line, ' ');
    if (p == NULL) {
        return -1;
    }
    *path = p + 1;
    mode = strchr(p + 1, ' ');
    if (mode == NULL) {
        return -1;
    }
    *mode++ = '\0';
    if (strcmp(mode, "straight") == 0) {
        *would_block = 0;
    } else if (strcmp(mode, "wouldblock") == 0) {
        *would_block = 1;
    } else {
        return -1;
    }
    return 0;
}

static int load_script(const char *path)
{
    char why[MCU_TEXT_MAX];
    char line[72];
    unsigned i;
    long n = mcu_read_file(path, g_script_buf, sizeof g_script_buf);
    if (n < 0) {
        return fail("cannot read the script (or larger than SCRIPT_MAX): ", path);
    }
    if (mcu_script_parse(&g_script, g_script_buf, (size_t)n, why, sizeof why) != 0) {
        return fail("script: ", why);
    }
    for (i = 0; i < g_script.count; i++) {
        if (mcu_check_exchange(&g_script, i, why, sizeof why) != 0) {
            mcu_request_line(&g_script.ex[i], line, sizeof line);
            mcu_puts(line);
            return fail(": ", why);
        }
    }
    return 0;
}

/*
 * One fc_poll() (or the upload's start), measured: the stack is painted
 * before and scanned after, the timer read right around the call, so the
 * painting and scanning are not counted. The time goes to the phases the
 * call ran (split by end_phase()); its stack depth to each of them - when
 * one call runs several exchanges (the straight mode), they share a figure.
 */
static __attribute__((noinline)) fc_err measured_call(int start, fc_system sys)
{
    unsigned first = g_phase_now, i;
    uintptr_t call_sp;
    uint32_t depth;
    fc_err r;
    paint_stack();
    call_sp = stack_pointer();
    g_mark = ticks();
    if (start) {
        r = mcu_flow_start(&g_flow, g_script.base_url, g_script.api_key, g_transports, sys);
    } else {
        r = fc_poll(&g_flow.client);
    }
    g_phase[g_phase_now].ticks += ticks() - g_mark;
    g_phase[g_phase_now].polls += (uint32_t)!start;
    depth = (uint32_t)(call_sp - lowest_written());
    for (i = first; i <= g_phase_now; i++) {
        g_phase[i].stack = depth > g_phase[i].stack ? depth : g_phase[i].stack;
    }
    return r;
}

static fc_err run_loop(fc_system sys)
{
    fc_err r = measured_call(1, sys); /* fc_files_upload() writes the first request */
    while (r == FC_AGAIN) {
        fc_wait w;
        r = measured_call(0, sys);
        if (r != FC_AGAIN) {
            break;
        }
        fc_client_wait(&g_flow.client, &w);
        /* The replay never really waits: jump over timers (scan polls,
         * backoff), step 1 ms otherwise. */
        g_now_ms += (w.events == 0 && w.timeout_ms != UINT32_MAX) ? w.timeout_ms : 1u;
    }
    return r;
}

/* Runs the flow; prints one line per phase; the peak stack and totals. */
static fc_err run_measured(fc_system sys, uint32_t *stack_peak, uint32_t *insns_total,
                           uint32_t *polls_total)
{
    fc_err r;
    unsigned i, n;
    char line[72];
    g_replay.on_exchange_end = end_phase;
    r = run_loop(sys);
    n = g_phase_now + 1u;
    *stack_peak = *insns_total = *polls_total = 0;
    for (i = 0; i < n; i++) {
        const phase_cost *c = &g_phase[i];
        mcu_request_line(&g_script.ex[i], line, sizeof line);
        put_field("phase ", i + 1u);
        mcu_puts(": ");
        mcu_puts(line);
        put_field(" | instructions ", c->ticks * INSNS_PER_TICK);
        put_field(" | stack ", c->stack);
        put_field(" B | fc_poll calls ", c->polls);
        mcu_puts("\n");
        *stack_peak = c->stack > *stack_peak ? c->stack : *stack_peak;
        *insns_total += c->ticks * INSNS_PER_TICK;
        *polls_total += c->polls;
    }
    return r;
}

/* For reading the PUT phase: what hashing the frame alone costs. */
static void sha256_reference(void)
{
    fc_sha256 h;
    uint8_t digest[32];
    uint32_t t0 = ticks();
    fc_sha256_init(&h);
    fc_sha256_update(&h, g_flow.frame.data, sizeof g_flow.frame.data);
    fc_sha256_final(&h, digest);
    put_field("reference: SHA-256 of the frame (", (uint32_t)sizeof g_flow.frame.data);
    put_field(" B) alone: instructions ", (ticks() - t0) * INSNS_PER_TICK);
    mcu_puts("\n");
}

int mcu_main(void)
{
    static char cmdline[256];
    const char *path = NULL;
    int would_block = 0;
    fc_system sys = {fake_now, fake_random, NULL};
    uint32_t peak, insns, polls;
    fc_err r;
    unsigned i;

    mcu_puts("fluidcloud-c MCU test firmware (" MCU_CPU_NAME ")\n");
    if (mcu_cmdline(cmdline, sizeof cmdline) != 0 ||
        parse_cmdline(cmdline, &path, &would_block) != 0) {
        return fail("usage: -semihosting-config ...,arg=fw,arg=SCRIPT,arg=straight|wouldblock",
                    NULL);
    }
    if (load_script(path) != 0) {
        return 1;
    }
    put_field("script: ", g_script.count);
    mcu_puts(" exchanges; mode ");
    mcu_puts(would_block ? "wouldblock" : "straight");
    put_field("; RAM: fc_client ", (uint32_t)sizeof(fc_client));
    put_field(" B, fc_upload ", (uint32_t)sizeof(fc_upload));
    put_field(" B, I/O buffer ", (uint32_t)MCU_IO_SIZE);
    put_field(" B, tokens ", (uint32_t)sizeof g_flow.tokens);
    mcu_puts(" B\n");

    mcu_replay_init(&g_replay, &g_script, would_block);
    for (i = 0; i < MCU_CONNECTIONS; i++) {
        mcu_replay_conn_init(&g_conns[i], &g_replay, &g_transports[i]);
    }
    timer_start();
    if (calibrate() != 0) {
        return fail("the timer does not count 1 instruction per ns: run QEMU with -icount shift=0",
                    NULL);
    }
    mcu_flow_prepare(&g_flow);
    sha256_reference();
    r = run_measured(sys, &peak, &insns, &polls);
    put_field("total: instructions ", insns);
    put_field(" | stack peak ", peak);
    put_field(" B (budget ", MCU_STACK_BUDGET);
    put_field(" B) | fc_poll calls ", polls);
    put_field(" | would-blocks ", g_replay.blocks);
    put_field(" | connects ", g_replay.connects);
    mcu_puts("\n");

    if (g_replay.failure[0] != '\0') {
        return fail("replay: ", g_replay.failure);
    }
    if (r != FC_OK) {
        const fc_error_info *e = fc_client_error(&g_flow.client);
        mcu_puts(e->step);
        mcu_puts(": ");
        return fail("the upload failed: ", fc_err_str(r));
    }
    if (!mcu_replay_done(&g_replay)) {
        return fail("the flow ended before the recording did", NULL);
    }
    if (strcmp(g_flow.up.link, g_script.link) != 0) {
        mcu_puts(g_flow.up.link);
        return fail(" is not the recorded link ", g_script.link);
    }
    if (peak > MCU_STACK_BUDGET) {
        return fail("the library's stack exceeds its budget", NULL);
    }
    mcu_puts("link: ");
    mcu_puts(g_flow.up.link);
    mcu_puts("\nPASS\n");
    return 0;
}
