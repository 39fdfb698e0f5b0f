/* tl_index.h - lookup structures of the timeline: a hash table and an interval tree, so
 * that resolving one event costs about the same however many processes, pipes and
 * mappings the trace has seen (timeline.c). */
#ifndef IPCLAB_TL_INDEX_H
#define IPCLAB_TL_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* ------------------------------------------------------------------ hash table */

/* Keys are up to three integers (a pid; a pipe's ino and dev; a pid, dev and ino). */
struct tl_key {
	__u64 a, b, c;
};

struct tl_hash_slot {
	struct tl_key key;
	__u64 val;
	bool used;
};

/* Open addressing with linear probing, at most half full; deletion shifts back. */
struct tl_hash {
	struct tl_hash_slot *slot;
	size_t cap;		/* a power of two, or 0 */
	size_t n;
};

/* The value of key, or NULL.  The pointer is valid until the next put. */
__u64 *tl_hash_get(const struct tl_hash *h, struct tl_key key);
/* Insert or overwrite: 0 or -ENOMEM. */
int tl_hash_put(struct tl_hash *h, struct tl_key key, __u64 val);
void tl_hash_del(struct tl_hash *h, struct tl_key key);
void tl_hash_free(struct tl_hash *h);

/* Hash keys of one and of three integers. */
static inline struct tl_key tl_key1(__u64 a)
{
	return (struct tl_key){ a, 0, 0 };
}

static inline struct tl_key tl_key3(__u64 a, __u64 b, __u64 c)
{
	return (struct tl_key){ a, b, c };
}

/* The pointer stored as key's value, or NULL. */
void *tl_hash_ptr(const struct tl_hash *h, struct tl_key key);

/* ------------------------------------------------------------------ id lists */

/* Object ids in ascending order (the newest last). */
struct tl_idlist {
	int *id;
	size_t n, cap;
};

int tl_idlist_insert(struct tl_idlist *l, int id);	/* 0 or -ENOMEM */
void tl_idlist_remove(struct tl_idlist *l, int id);

/* ------------------------------------------------------------------ interval tree */

/*
 * A set of half-open intervals [lo, hi), each with a distinct id (an object id), as a treap
 * ordered by (lo, id) and augmented with the largest hi and the largest id of each subtree:
 * "the newest interval containing x" visits only subtrees that can hold a newer one.
 * Overlapping intervals are allowed (mappings placed over others with MAP_FIXED).
 */
struct tl_ival {
	__u64 lo, hi;
	__u64 max_hi;		/* of this subtree */
	int id, max_id;		/* max_id: of this subtree */
	__u32 prio;		/* heap order: random, so the tree stays balanced */
	struct tl_ival *left, *right;
};

int tl_ival_insert(struct tl_ival **root, __u64 lo, __u64 hi, int id);
/* Remove the interval (lo, id): true if it was there. */
bool tl_ival_remove(struct tl_ival **root, __u64 lo, int id);
/* The largest id above `floor` whose interval contains x and for which ok(id, ctx) holds,
 * or `floor` when there is none.  ok may be NULL (any). */
int tl_ival_newest(const struct tl_ival *root, __u64 x, int floor,
		   bool (*ok)(int id, void *ctx), void *ctx);
/* Call fn for every interval with from <= lo <= to, in (lo, id) order.  fn must not change
 * the tree. */
void tl_ival_each(const struct tl_ival *root, __u64 from, __u64 to,
		  void (*fn)(const struct tl_ival *iv, void *ctx), void *ctx);
void tl_ival_free(struct tl_ival **root);

/* ------------------------------------------------------------------ forests */

/* A hash table of interval trees, one per key (a creator pid, a file): the value is the
 * tree's root; an empty tree leaves the table.  Insert and remove: 0 or -ENOMEM (the
 * change may be lost). */
int tl_forest_insert(struct tl_hash *h, struct tl_key k, __u64 lo, __u64 hi, int id);
int tl_forest_remove(struct tl_hash *h, struct tl_key k, __u64 lo, int id);
void tl_forest_free(struct tl_hash *h);
/* Comparisons made by tl_ival_newest() and tl_ival_each() so far (process-wide): the scale
 * tests count work instead of timing it. */
extern unsigned long long tl_ival_visits;

#endif
