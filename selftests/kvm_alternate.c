// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM and a64vcpu VMs alternating on one CPU.  Both number their VMIDs from
 * 1, and KVM does not invalidate a VMID when it frees a VM: a64vcpu's
 * give-back (KVM takes EL2) and take (a64vcpu takes it back) each
 * invalidate every VMID on the CPU (TLBI ALLE1, counted in debugfs "tlb").
 * The same guest program reads the same IPA on both, each VM with its own
 * memory there, and must see only its own value.  And a64vcpu guest memory
 * released while KVM holds EL2 is invalidated on every CPU before it is
 * unpinned.  Needs a host with KVM (scripts/hostrun --kvm); skipped
 * otherwise.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "el2.h"
#include "kvm_vm.h"

#define WHOAMI_OFFSET	0x800	/* the word the whoami guest reports */
#define ROUNDS		4

/*
 * A KVM VM running the whoami guest, @val at the IPA it reads, to its
 * first report (an MMIO write at UCALL_GPA); KVM holds EL2 until
 * kvm_vm_close().  Returns what the guest reported, or 0 with errno on a
 * failure.
 */
static uint64_t kvm_open_whoami(struct kvm_vm *k, uint64_t val)
{
	if (kvm_vm_open(k, GUEST_PROGRAM(whoami)))
		return 0;
	*(uint64_t *)((char *)k->mem + WHOAMI_OFFSET) = val;
	return kvm_vm_ucall(k);
}

/* kvm_open_whoami(), then kvm_vm_close(). */
static uint64_t kvm_whoami(uint64_t val)
{
	struct kvm_vm k;
	uint64_t seen = kvm_open_whoami(&k, val);
	int err = errno;

	kvm_vm_close(&k);
	errno = err;
	return seen;
}

/* Every online CPU's EL2 back to a64vcpu, as the tests after these expect. */
static bool retake_all(void)
{
	struct el2_ping p;
	int cpu;

	for (cpu = 0; cpu < possible_cpus(); cpu++) {
		if (!cpu_is_online(cpu))
			continue;
		if (pin_to_cpu(cpu) || el2_ping(&p) || strcmp(p.owner, "a64vcpu"))
			return false;
	}
	return true;
}

TEST(kvm_and_a64vcpu_alternate_on_one_cpu)
{
	struct test_vm *vm;
	struct test_vcpu *vcpu;
	struct el2_tlb t0, t1, t2;
	struct el2_status st;
	int round;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "KVM is not enabled on this host (boot with scripts/hostrun --kvm)");
	ASSERT_EQ(0, pin_to_cpu(0));
	vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	vcpu = vcpu_add(vm, 0);
	*(uint64_t *)((char *)vm->ram + WHOAMI_OFFSET) = 0xa000;
	EXPECT_EQ(0xa000, vcpu_ucall(vcpu));

	for (round = 0; round < ROUNDS; round++) {
		ASSERT_EQ(0, el2_tlb(&t0));
		/* KVM takes EL2 on every CPU, runs its guest, lets EL2 go. */
		EXPECT_EQ(0xb000 + round, kvm_whoami(0xb000 + round))
			TH_LOG("round %d: KVM: %s", round, strerror(errno));
		ASSERT_EQ(0, el2_status(0, &st));
		EXPECT_STREQ("stub", st.owner);
		ASSERT_EQ(0, el2_tlb(&t1));
		EXPECT_LE(t0.handover_alle1[0] + 1, t1.handover_alle1[0])
			TH_LOG("round %d: KVM took EL2 without our give-back", round);

		/* Our vCPU takes EL2 back on this CPU and sees its own memory. */
		*(uint64_t *)((char *)vm->ram + WHOAMI_OFFSET) = 0xa001 + round;
		EXPECT_EQ(0xa001 + round, vcpu_ucall(vcpu));
		ASSERT_EQ(0, el2_tlb(&t2));
		EXPECT_EQ(t1.handover_alle1[0] + 1, t2.handover_alle1[0])
			TH_LOG("round %d: the take back", round);
	}
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	EXPECT_TRUE(retake_all());
}

/*
 * Our guest memory released while KVM holds EL2 on every CPU: the VMID
 * invalidation cannot run from this CPU, so it is asked of every CPU
 * (vmid_tlbi_each_cpu), where KVM's CPUs need none since our give-back.
 * The next VM, on the same VMID, sees its own memory.
 */
TEST(release_while_kvm_holds_el2)
{
	char *other = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct el2_tlb t0, t1;
	struct test_vcpu *vcpu;
	struct test_vm *vm;
	struct kvm_vm k;

	if (access("/dev/kvm", R_OK | W_OK))
		SKIP(return, "KVM is not enabled on this host (boot with scripts/hostrun --kvm)");
	ASSERT_NE(MAP_FAILED, other);
	ASSERT_EQ(0, pin_to_cpu(0));
	vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	vcpu = vcpu_add(vm, 0);
	memcpy(other, vm->ram, GUEST_RAM_SIZE);
	*(uint64_t *)((char *)vm->ram + WHOAMI_OFFSET) = 0xa000;
	*(uint64_t *)(other + WHOAMI_OFFSET) = 0xa0a0;
	EXPECT_EQ(0xa000, vcpu_ucall(vcpu));

	EXPECT_EQ(0xb000, kvm_open_whoami(&k, 0xb000)) TH_LOG("KVM: %s", strerror(errno));
	ASSERT_EQ(0, el2_tlb(&t0));
	/* Replace the slot (unmap, invalidate, unpin), then free everything. */
	ASSERT_EQ(0, vm_set_slot(vm, 0, 0, GUEST_RAM_GPA, GUEST_RAM_SIZE, other, 0));
	EXPECT_EQ(-1, vcpu_run(vcpu));		/* EL2 is KVM's */
	EXPECT_EQ(EBUSY, errno);
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	ASSERT_EQ(0, el2_tlb(&t1));
	EXPECT_LE(t0.vmid_tlbi + 3, t1.vmid_tlbi);
	EXPECT_LE(t0.vmid_tlbi_each_cpu + 3, t1.vmid_tlbi_each_cpu);
	kvm_vm_close(&k);

	vm = vm_create_with_program(GUEST_PROGRAM(whoami));
	vcpu = vcpu_add(vm, 0);
	*(uint64_t *)((char *)vm->ram + WHOAMI_OFFSET) = 0xa001;
	EXPECT_EQ(0xa001, vcpu_ucall(vcpu));
	vcpu_destroy(vcpu);
	vm_destroy(vm);
	munmap(other, GUEST_RAM_SIZE);
	EXPECT_TRUE(retake_all());
}

TEST_HARNESS_MAIN
