// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a guest learns about its CPU (guest/c/vcpu_features.c):
 * - the ID registers (HCR_EL2.TID3, sanitised): no SVE, SME, MTE, AMU, RAS,
 *   MPAM, pointer authentication, AArch32 (ID_AA64PFR0 EL0/EL1 = 1, the
 *   AArch32 ID registers 0), no PMU (PMUVer 0), SPE or trace, no EL2
 *   features; GIC 1 only with a vGIC; PARange that of the VM's IPA size;
 *   what the host's userspace sees of ID_AA64ISAR0/1 passed through;
 *   every other register of the ID space 0; writes UNDEFINED;
 * - PMU registers: an UNDEFINED exception at the access, which leaves its
 *   destination alone; the same for LORegions, RAS error records, SPE,
 *   the trace filter and the activity monitors;
 * - debug registers: kept per vCPU, as written; the OS lock;
 * - PSCI 1.1 over HVC and SMC: PSCI_VERSION, PSCI_FEATURES, CPU_SUSPEND
 *   returning once an interrupt is pending, AFFINITY_INFO to the VMM,
 *   SYSTEM_RESET2;
 * - SMCCC_ARCH_FEATURES of ARCH_WORKAROUND_1/2/3 against the host's
 *   /sys/devices/system/cpu/vulnerabilities (the rule of kmod/spectre.c),
 *   and against debugfs "speculation", whose per-CPU way of hardening
 *   guest exits must fit them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vcpu_thread.h"

#define ID_REGS		0
#define PMU		1
#define DEBUG		2
#define PSCI		3
#define SMCCC		4
#define ABSENT		5

/* Index of ID register (op0 3, op1 0, CRn 0, CRm, op2) among the guest's ucalls. */
#define ID(crm, op2)	((crm) * 8 + (op2) - 8)
#define NR_IDS		56
#define PFR0		ID(4, 0)
#define PFR1		ID(4, 1)
#define DFR0		ID(5, 0)
#define ISAR0		ID(6, 0)
#define ISAR1		ID(6, 1)
#define ISAR2		ID(6, 2)
#define MMFR0		ID(7, 0)
#define MMFR1		ID(7, 1)
#define MMFR2		ID(7, 2)
#define F(reg, shift)	(((reg) >> (shift)) & 0xf)
#define M(shift)	(0xfULL << (shift))

/* Runs the ID_REGS scenario on @vcpu: the 56 registers into @id. */
static void read_ids(struct __test_metadata *_metadata, struct test_vcpu *vcpu, uint64_t *id)
{
	unsigned int i;

	vcpu->args[0] = ID_REGS;
	for (i = 0; i < NR_IDS; i++)
		id[i] = vcpu_ucall(vcpu);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
}

static uint64_t host_isar(int n)
{
	uint64_t val;

	/* The kernel emulates these for userspace: the fields it exposes. */
	if (n == 0)
		asm("mrs %0, ID_AA64ISAR0_EL1" : "=r" (val));
	else
		asm("mrs %0, ID_AA64ISAR1_EL1" : "=r" (val));
	return val;
}

static void check_ids(struct __test_metadata *_metadata, const uint64_t *id, bool gic)
{
	static const unsigned int kept[] = { PFR0, PFR1, DFR0, ISAR0, ISAR1, ISAR2,
					     MMFR0, MMFR1, MMFR2 };
	uint64_t isar0 = host_isar(0), isar1 = host_isar(1);
	unsigned int i, j, s;

	for (i = 0; i < NR_IDS; i++) {
		for (j = 0; j < ARRAY_SIZE(kept) && kept[j] != i; j++)
			;
		if (j == ARRAY_SIZE(kept))	/* AArch32, SVE, SME, ... */
			EXPECT_EQ(0, id[i]) TH_LOG("ID register CRm %u op2 %u", i / 8 + 1, i % 8);
	}
	TH_LOG("PFR0 %#llx PFR1 %#llx DFR0 %#llx ISAR1 %#llx MMFR0 %#llx",
	       (unsigned long long)id[PFR0], (unsigned long long)id[PFR1],
	       (unsigned long long)id[DFR0], (unsigned long long)id[ISAR1],
	       (unsigned long long)id[MMFR0]);
	/* AArch64 only at EL0 and EL1, no EL2, RAS, SVE, SEL2, MPAM, AMU, RME */
	EXPECT_EQ(1, F(id[PFR0], 0));
	EXPECT_EQ(1, F(id[PFR0], 4));
	EXPECT_EQ(0, id[PFR0] & (M(8) | M(28) | M(32) | M(36) | M(40) | M(44) | M(52)));
	EXPECT_EQ(gic, F(id[PFR0], 24));
	/* PFR1: BT and SSBS only (no MTE, SME, RAS_frac, NMI, ...) */
	EXPECT_EQ(0, id[PFR1] & ~(M(0) | M(4)));
	/* DFR0: DebugVer, BRPs, WRPs, CTX_CMPs, DoubleLock only: PMUVer 0, no trace, SPE */
	EXPECT_EQ(0, id[DFR0] & ~(M(0) | M(12) | M(20) | M(28) | M(36)));
	EXPECT_LE(6, F(id[DFR0], 0));
	EXPECT_EQ(0, F(id[DFR0], 8));
	/* no TME; no pointer authentication (APA, API, GPA, GPI; APA3, GPA3), LS64 */
	EXPECT_EQ(0, F(id[ISAR0], 24));
	EXPECT_EQ(0, id[ISAR1] & (M(4) | M(8) | M(24) | M(28) | M(60)));
	EXPECT_EQ(0, id[ISAR2] & ~(M(4) | M(20) | M(28)));
	/* no ECV, FGT; no VHE, LORegions, TWED, HCX, TIDCP1; no NV, FWB, EVT */
	EXPECT_EQ(0, id[MMFR0] & (M(56) | M(60)));
	EXPECT_EQ(0, id[MMFR1] & (M(8) | M(16) | M(32) | M(40) | M(52)));
	EXPECT_EQ(0, id[MMFR2] & (M(24) | M(40) | M(56)));
	/* What userspace here sees of the instruction sets, the guest sees too. */
	for (s = 0; s < 64; s += 4) {
		if (F(isar0, s))
			EXPECT_EQ(F(isar0, s), F(id[ISAR0], s)) TH_LOG("ISAR0 bits %u", s);
		if (F(isar1, s) && !(M(s) & (M(4) | M(8) | M(24) | M(28) | M(60))))
			EXPECT_EQ(F(isar1, s), F(id[ISAR1], s)) TH_LOG("ISAR1 bits %u", s);
	}
}

TEST(id_regs_with_vgic)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 1, 0, &vcpu);
	uint64_t id[NR_IDS];

	read_ids(_metadata, vcpu, id);
	check_ids(_metadata, id, true);
	vm_destroy(vm);
}

TEST(id_regs_without_vgic)
{
	struct test_vm *vm = vm_create_with_program(GUEST_PROGRAM(vcpu_features));
	uint64_t id[NR_IDS];

	read_ids(_metadata, vcpu_add(vm, 0), id);
	check_ids(_metadata, id, false);
	vm_destroy(vm);
}

/* ID_AA64MMFR0_EL1.PARange follows the VM's IPA size. */
TEST(parange)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48 };
	int sys = a64_open();
	int max = ioctl(sys, A64VCPU_CHECK_EXTENSION, A64VCPU_CAP_MAX_IPA_SIZE);
	unsigned int i;

	close(sys);
	for (i = 0; i < ARRAY_SIZE(bits) && bits[i] <= max; i++) {
		struct test_vm *vm = vm_create_ipa(GUEST_RAM_SIZE, bits[i]);
		uint64_t id[NR_IDS];

		vm_load(vm, 0, GUEST_PROGRAM(vcpu_features));
		read_ids(_metadata, vcpu_add(vm, 0), id);
		EXPECT_EQ(i, F(id[MMFR0], 0)) TH_LOG("%u-bit IPA", bits[i]);
		vm_destroy(vm);
	}
	EXPECT_LE(3, i);	/* 32, 36 and 40 bits at least */
}

/* Guest scenario @scenario on one vCPU with a vGIC: it powers off when done. */
static void run_scenario(struct __test_metadata *_metadata, uint64_t scenario)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 1, 0, &vcpu);

	vcpu->args[0] = scenario;
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

TEST(pmu_undefined)
{
	run_scenario(_metadata, PMU);
}

TEST(absent_features_undefined)
{
	run_scenario(_metadata, ABSENT);
}

TEST(debug_registers)
{
	struct test_vcpu *vcpus[2];
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 2, 0, vcpus);
	struct vcpu_thread t[2] = { { .vcpu = vcpus[0] }, { .vcpu = vcpus[1] } };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		vcpus[i]->args[0] = DEBUG;
		vcpus[i]->args[1] = 2;
		vcpu_thread_start(&t[i]);
	}
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_thread_join(&t[0]));
	EXPECT_EQ(A64VCPU_EXIT_CPU_OFF, vcpu_thread_join(&t[1]));
	vcpu_destroy(vcpus[0]);
	vcpu_destroy(vcpus[1]);
	vm_destroy(vm);
}

TEST(psci)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 1, 0, &vcpu);
	struct a64vcpu_run *run = vcpu->run;

	vcpu->args[0] = PSCI;
	ASSERT_EQ(A64VCPU_EXIT_HYPERCALL, vcpu_run_guest(vcpu));
	EXPECT_EQ(0xc4000004, run->hypercall.function_id);	/* AFFINITY_INFO_64 */
	EXPECT_EQ(1, run->hypercall.args[0]);
	EXPECT_EQ(A64VCPU_HCALL_HVC, run->hypercall.conduit);
	run->hypercall.ret[0] = 1;				/* OFF */
	ASSERT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	EXPECT_EQ(A64VCPU_SYSTEM_RESET, run->system_event.type);	/* SYSTEM_RESET2 */
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/* The first line of a file under /sys/devices/system/cpu/vulnerabilities. */
static void vulnerability(const char *name, char *buf, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, size, f))
		snprintf(buf, size, "?");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * What SMCCC_ARCH_FEATURES must answer (kmod/spectre.c, KVM's rule): 1
 * (UNAFFECTED) or -2 (NOT_REQUIRED, workaround 2) where nothing is
 * affected, 0 (SUCCESS) where the host mitigates, -1 (NOT_SUPPORTED) where
 * it does not.  What sysfs says: spectre_v2 is "Not affected" when neither
 * v2 nor BHB affects the CPUs, "Mitigation: CSV2, ..." when only BHB does,
 * "Mitigation: Branch predictor hardening..." when v2 is mitigated, ", BHB"
 * or ", but not BHB" after it when BHB affects the CPUs; "Vulnerable: ..."
 * when both are mitigated but unprivileged eBPF is on; plain "Vulnerable"
 * says nothing about BHB (the kernel does not mitigate BHB without v2).
 * WANT_EITHER: sysfs cannot tell between two answers.
 */
#define WANT_EITHER	2

static int64_t want_wa1(const char *v2)
{
	if (!strcmp(v2, "Not affected") || starts(v2, "Mitigation: CSV2"))
		return 1;
	if (starts(v2, "Mitigation: Branch predictor hardening"))
		return 0;
	if (!strcmp(v2, "Vulnerable"))
		return -1;
	return WANT_EITHER;	/* "Vulnerable: Unprivileged eBPF enabled": 1 or 0 */
}

static int64_t want_wa3(const char *v2)
{
	if (!strcmp(v2, "Not affected") || (starts(v2, "Mitigation: ") && !strstr(v2, "BHB")))
		return 1;
	if (strstr(v2, ", BHB") || starts(v2, "Vulnerable: "))
		return 0;
	if (strstr(v2, "but not BHB"))
		return -1;
	return WANT_EITHER;	/* "Vulnerable": 1 or -1 */
}

/* Spectre v4: SSBS, which the guest sees, is the guest's own to use. */
static int64_t want_wa2(const char *v4, bool ssbs)
{
	if (!strcmp(v4, "Not affected"))
		return -2;
	if (starts(v4, "Mitigation"))
		return ssbs ? -1 : -2;
	return -1;
}

static bool answer_ok(int64_t got, int64_t want, int64_t either1, int64_t either2)
{
	return want == WANT_EITHER ? got == either1 || got == either2 : got == want;
}

/* The kernel's Spectre-BHB loop count for the QEMU models (proton-pack.c). */
static unsigned int bhb_k(unsigned int cpu)
{
	char path[96], buf[32] = "";
	unsigned long midr;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/regs/identification/midr_el1",
		 cpu);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	midr = strtoul(buf, NULL, 0);
	switch ((midr >> 4) & 0xfff) {	/* Arm's part numbers */
	case 0xd07:	/* Cortex-A57 */
	case 0xd08:	/* Cortex-A72 */
		return 8;
	case 0xd0b:	/* Cortex-A76 */
	case 0xd0c:	/* Neoverse N1 */
		return 24;
	default:
		return 0;
	}
}

TEST(smccc_arch_workarounds)
{
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 1, 0, &vcpu);
	char v2[256], v4[256];
	int64_t wa1, wa2, wa3;
	uint64_t pfr1;

	vulnerability("spectre_v2", v2, sizeof(v2));
	vulnerability("spec_store_bypass", v4, sizeof(v4));
	vcpu->args[0] = SMCCC;
	pfr1 = vcpu_ucall(vcpu);
	wa1 = vcpu_ucall(vcpu);
	wa2 = vcpu_ucall(vcpu);
	wa3 = vcpu_ucall(vcpu);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	TH_LOG("spectre_v2 \"%s\", spec_store_bypass \"%s\", SSBS %llu: WA1 %lld WA2 %lld WA3 %lld",
	       v2, v4, (unsigned long long)F(pfr1, 4), (long long)wa1, (long long)wa2,
	       (long long)wa3);

	EXPECT_TRUE(answer_ok(wa1, want_wa1(v2), 1, 0));
	EXPECT_TRUE(answer_ok(wa3, want_wa3(v2), 1, -1));
	EXPECT_EQ(want_wa2(v4, F(pfr1, 4)), wa2);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
}

/*
 * debugfs "speculation" agrees with what guests are told, and each CPU's
 * way of hardening guest exits with it: the firmware call where Spectre v2
 * is mitigated, a Spectre-BHB way (the loop with the kernel's count on the
 * QEMU models that have one) where only BHB is, nothing where the host
 * mitigates nothing.
 */
TEST(speculation_debugfs)
{
	SKIP_UNLESS_DEBUGFS(return, "debugfs spectre");
	struct test_vcpu *vcpu;
	struct test_vm *vm = vm_create_vgic(GUEST_PROGRAM(vcpu_features), 1, 0, &vcpu);
	long long told[4] = { 0 }, guest[4];
	unsigned int n, cpu, cpus = 0;
	char line[256], way[64];
	FILE *f;

	vcpu->args[0] = SMCCC;
	vcpu_ucall(vcpu);				/* ID_AA64PFR1_EL1 */
	for (n = 1; n <= 3; n++)
		guest[n] = (int64_t)vcpu_ucall(vcpu);
	EXPECT_EQ(A64VCPU_EXIT_SYSTEM_EVENT, vcpu_run_guest(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);

	f = fopen("/sys/kernel/debug/a64vcpu/speculation", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		long long v;
		unsigned int k = 0;

		TH_LOG("%.*s", (int)strcspn(line, "\n"), line);
		if (sscanf(line, "guest ARCH_WORKAROUND_%u=%lld", &n, &v) == 2 && n >= 1 && n <= 3)
			told[n] = v;
		if (sscanf(line, "cpu%u guest_exit=%63s k=%u", &cpu, way, &k) < 2)
			continue;
		cpus++;
		if (guest[1] == 0) {
			EXPECT_TRUE(!strncmp(way, "smc_wa", 6) ||
				    !strcmp(way, "none:not-affected"));
		} else if (guest[3] == 0) {
			EXPECT_TRUE(!strcmp(way, "bhb_loop") || !strcmp(way, "clearbhb") ||
				    !strcmp(way, "smc_wa3") || !strcmp(way, "none:ecbhb") ||
				    !strcmp(way, "none:not-affected"));
		} else {
			EXPECT_EQ(0, strncmp(way, "none", 4));
		}
		if (!strcmp(way, "bhb_loop") && bhb_k(cpu))
			EXPECT_EQ(bhb_k(cpu), k);
	}
	fclose(f);
	EXPECT_NE(0, cpus);
	for (n = 1; n <= 3; n++)
		EXPECT_EQ(guest[n], told[n]);
}

TEST_HARNESS_MAIN
