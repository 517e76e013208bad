// SPDX-License-Identifier: GPL-2.0
/*
 * Sequence counts and locks in the kernel's idioms: writers serialised by the
 * associated lock, readers retrying, the mmap lock paired on every path.
 * Precision corpus for mmlens.
 */
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/mmap_lock.h>
#include <linux/mm.h>

struct range_stats {
	spinlock_t lock;
	seqcount_spinlock_t seq;
	unsigned long faults;
	unsigned long invalidations;
};

static void range_stats_init(struct range_stats *st)
{
	spin_lock_init(&st->lock);
	seqcount_spinlock_init(&st->seq, &st->lock);
	st->faults = 0;
	st->invalidations = 0;
}

static void range_stats_fault(struct range_stats *st)
{
	spin_lock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->faults++;
	write_seqcount_end(&st->seq);
	spin_unlock(&st->lock);
}

static void range_stats_invalidate(struct range_stats *st, unsigned long n)
{
	spin_lock(&st->lock);
	write_seqcount_begin(&st->seq);
	st->invalidations += n;
	write_seqcount_end(&st->seq);
	spin_unlock(&st->lock);
}

static void range_stats_read(struct range_stats *st, unsigned long *faults, unsigned long *inv)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&st->seq);
		*faults = st->faults;
		*inv = st->invalidations;
	} while (read_seqcount_retry(&st->seq, seq));
}

struct geometry {
	seqlock_t lock;
	unsigned long start;
	unsigned long end;
};

static void geometry_set(struct geometry *g, unsigned long start, unsigned long end)
{
	write_seqlock(&g->lock);
	g->start = start;
	g->end = end;
	write_sequnlock(&g->lock);
}

static bool geometry_contains(struct geometry *g, unsigned long addr)
{
	unsigned long start, end;
	unsigned int seq;

	do {
		seq = read_seqbegin(&g->lock);
		start = g->start;
		end = g->end;
	} while (read_seqretry(&g->lock, seq));

	return addr >= start && addr < end;
}

static int count_vmas(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	int n = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = find_vma(mm, start);
	while (vma && vma->vm_start < end) {
		n++;
		vma = find_vma(mm, vma->vm_end);
	}
	mmap_read_unlock(mm);
	return n;
}

static int set_vma_flag(struct mm_struct *mm, unsigned long addr, vm_flags_t flag)
{
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		ret = -EFAULT;
		goto out;
	}
	vma_start_write(vma);
	vm_flags_set(vma, flag);
out:
	mmap_write_unlock(mm);
	return ret;
}

static unsigned long vma_len_fast(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	unsigned long len = 0;

	vma = lock_vma_under_rcu(mm, addr);
	if (!vma)
		return 0;
	len = vma->vm_end - vma->vm_start;
	vma_end_read(vma);
	return len;
}
