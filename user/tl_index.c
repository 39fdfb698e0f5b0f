// SPDX-License-Identifier: GPL-2.0
/*
 * tl_index.c - a hash table, id lists and interval trees for the timeline's lookups (by
 * pid, by object address, and the mechanisms' own: by pipe, by mapping address and file
 * page).  Without them every event scanned every object ever created: quadratic in the
 * number of mappings.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tl_index.h"

/* ------------------------------------------------------------------ hash table */

static __u64 mix(__u64 x)
{
	/* splitmix64's finalizer: every input bit moves every output bit */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static size_t home(const struct tl_hash *h, struct tl_key k)
{
	return mix(k.a ^ mix(k.b ^ mix(k.c))) & (h->cap - 1);
}

static bool key_eq(struct tl_key x, struct tl_key y)
{
	return x.a == y.a && x.b == y.b && x.c == y.c;
}

/* The slot holding key, or the empty slot where it would go; cap must be > 0. */
static size_t probe(const struct tl_hash *h, struct tl_key key)
{
	size_t i = home(h, key);

	while (h->slot[i].used && !key_eq(h->slot[i].key, key))
		i = (i + 1) & (h->cap - 1);
	return i;
}

__u64 *tl_hash_get(const struct tl_hash *h, struct tl_key key)
{
	size_t i;

	if (!h->cap)
		return NULL;
	i = probe(h, key);
	return h->slot[i].used ? &h->slot[i].val : NULL;
}

static int rehash(struct tl_hash *h, size_t cap)
{
	struct tl_hash old = *h;

	h->slot = calloc(cap, sizeof(*h->slot));
	if (!h->slot) {
		*h = old;
		return -ENOMEM;
	}
	h->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i].used)
			h->slot[probe(h, old.slot[i].key)] = old.slot[i];
	free(old.slot);
	return 0;
}

int tl_hash_put(struct tl_hash *h, struct tl_key key, __u64 val)
{
	size_t i;

	if (2 * (h->n + 1) > h->cap && rehash(h, h->cap ? 2 * h->cap : 16))
		return -ENOMEM;
	i = probe(h, key);
	if (!h->slot[i].used) {
		h->slot[i].used = true;
		h->slot[i].key = key;
		h->n++;
	}
	h->slot[i].val = val;
	return 0;
}

/* Is `k` cyclically in (i, j]?  Then an entry whose home is k may stay at j. */
static bool between(size_t i, size_t k, size_t j)
{
	return i < j ? (i < k && k <= j) : (i < k || k <= j);
}

void tl_hash_del(struct tl_hash *h, struct tl_key key)
{
	size_t i, j;

	if (!h->cap)
		return;
	i = probe(h, key);
	if (!h->slot[i].used)
		return;
	h->slot[i].used = false;
	h->n--;
	/* shift later entries of the same probe run back: no tombstones to skip later */
	for (j = (i + 1) & (h->cap - 1); h->slot[j].used; j = (j + 1) & (h->cap - 1)) {
		if (between(i, home(h, h->slot[j].key), j))
			continue;
		h->slot[i] = h->slot[j];
		h->slot[j].used = false;
		i = j;
	}
}

void tl_hash_free(struct tl_hash *h)
{
	free(h->slot);
	h->slot = NULL;
	h->cap = h->n = 0;
}

/* ------------------------------------------------------------------ interval tree */

unsigned long long tl_ival_visits;

/* Priorities from a fixed xorshift sequence: the same input builds the same trees. */
static __u32 next_prio(void)
{
	static __u32 x = 2463534242U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void update(struct tl_ival *n)
{
	n->max_hi = n->hi;
	n->max_id = n->id;
	for (int k = 0; k < 2; k++) {
		const struct tl_ival *c = k ? n->right : n->left;

		if (!c)
			continue;
		if (c->max_hi > n->max_hi)
			n->max_hi = c->max_hi;
		if (c->max_id > n->max_id)
			n->max_id = c->max_id;
	}
}

static bool before(__u64 lo, int id, const struct tl_ival *n)
{
	return lo < n->lo || (lo == n->lo && id < n->id);
}

static struct tl_ival *rotate_right(struct tl_ival *t)
{
	struct tl_ival *l = t->left;

	t->left = l->right;
	update(t);
	l->right = t;
	update(l);
	return l;
}

static struct tl_ival *rotate_left(struct tl_ival *t)
{
	struct tl_ival *r = t->right;

	t->right = r->left;
	update(t);
	r->left = t;
	update(r);
	return r;
}

static struct tl_ival *insert(struct tl_ival *t, struct tl_ival *n)
{
	if (!t)
		return n;
	if (before(n->lo, n->id, t)) {
		t->left = insert(t->left, n);
		if (t->left->prio > t->prio)
			return rotate_right(t);
	} else {
		t->right = insert(t->right, n);
		if (t->right->prio > t->prio)
			return rotate_left(t);
	}
	update(t);
	return t;
}

int tl_ival_insert(struct tl_ival **root, __u64 lo, __u64 hi, int id)
{
	struct tl_ival *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->lo = lo;
	n->hi = hi;
	n->id = id;
	n->prio = next_prio();
	update(n);
	*root = insert(*root, n);
	return 0;
}

/* Join two treaps, every key of a before every key of b. */
static struct tl_ival *join(struct tl_ival *a, struct tl_ival *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = join(a->right, b);
		update(a);
		return a;
	}
	b->left = join(a, b->left);
	update(b);
	return b;
}

static struct tl_ival *remove_node(struct tl_ival *t, __u64 lo, int id, bool *found)
{
	struct tl_ival *rest;

	if (!t)
		return NULL;
	if (t->lo == lo && t->id == id) {
		rest = join(t->left, t->right);
		free(t);
		*found = true;
		return rest;
	}
	if (before(lo, id, t))
		t->left = remove_node(t->left, lo, id, found);
	else
		t->right = remove_node(t->right, lo, id, found);
	update(t);
	return t;
}

bool tl_ival_remove(struct tl_ival **root, __u64 lo, int id)
{
	bool found = false;

	*root = remove_node(*root, lo, id, &found);
	return found;
}

static void newest(const struct tl_ival *n, __u64 x, int *best, bool (*ok)(int, void *),
		   void *ctx)
{
	const struct tl_ival *first, *second;

	/* nothing below n contains x, or nothing below n is newer than what was found */
	if (!n || n->max_hi <= x || n->max_id <= *best)
		return;
	tl_ival_visits++;
	if (n->lo <= x && x < n->hi && n->id > *best && (!ok || ok(n->id, ctx)))
		*best = n->id;
	first = n->left;
	second = n->lo <= x ? n->right : NULL;	/* the right side starts after n */
	if (first && second && second->max_id > first->max_id) {
		first = second;
		second = n->left;
	}
	newest(first, x, best, ok, ctx);
	newest(second, x, best, ok, ctx);
}

int tl_ival_newest(const struct tl_ival *root, __u64 x, int floor,
		   bool (*ok)(int id, void *ctx), void *ctx)
{
	int best = floor;

	newest(root, x, &best, ok, ctx);
	return best;
}

void tl_ival_each(const struct tl_ival *n, __u64 from, __u64 to,
		  void (*fn)(const struct tl_ival *iv, void *ctx), void *ctx)
{
	if (!n)
		return;
	tl_ival_visits++;
	if (n->lo >= from)
		tl_ival_each(n->left, from, to, fn, ctx);
	if (n->lo >= from && n->lo <= to)
		fn(n, ctx);
	if (n->lo <= to)
		tl_ival_each(n->right, from, to, fn, ctx);
}

void tl_ival_free(struct tl_ival **root)
{
	struct tl_ival *n = *root;

	if (!n)
		return;
	tl_ival_free(&n->left);
	tl_ival_free(&n->right);
	free(n);
	*root = NULL;
}

/* ------------------------------------------------------------------ hash values, id lists */

void *tl_hash_ptr(const struct tl_hash *h, struct tl_key key)
{
	__u64 *v = tl_hash_get(h, key);

	return v ? (void *)(uintptr_t)*v : NULL;
}

int tl_idlist_insert(struct tl_idlist *l, int id)
{
	size_t i = l->n;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4;
		int *ids = realloc(l->id, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		l->id = ids;
		l->cap = cap;
	}
	while (i > 0 && l->id[i - 1] > id)	/* new objects go last: no move */
		i--;
	memmove(&l->id[i + 1], &l->id[i], (l->n - i) * sizeof(*l->id));
	l->id[i] = id;
	l->n++;
	return 0;
}

void tl_idlist_remove(struct tl_idlist *l, int id)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->n && l->id[lo] == id) {
		memmove(&l->id[lo], &l->id[lo + 1], (l->n - lo - 1) * sizeof(*l->id));
		l->n--;
	}
}

/* ------------------------------------------------------------------ forests */

/* Store a tree's new root under k; an empty tree leaves the table. */
static int set_root(struct tl_hash *h, struct tl_key k, struct tl_ival *root)
{
	if (!root) {
		tl_hash_del(h, k);
		return 0;
	}
	return tl_hash_put(h, k, (uintptr_t)root);	/* failed: the tree leaks */
}

int tl_forest_insert(struct tl_hash *h, struct tl_key k, __u64 lo, __u64 hi, int id)
{
	struct tl_ival *root = tl_hash_ptr(h, k);
	int err = tl_ival_insert(&root, lo, hi, id);
	int err2 = set_root(h, k, root);

	return err ? err : err2;
}

int tl_forest_remove(struct tl_hash *h, struct tl_key k, __u64 lo, int id)
{
	struct tl_ival *root = tl_hash_ptr(h, k);

	tl_ival_remove(&root, lo, id);
	return set_root(h, k, root);
}

void tl_forest_free(struct tl_hash *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		if (h->slot[i].used) {
			struct tl_ival *root = (void *)(uintptr_t)h->slot[i].val;

			tl_ival_free(&root);
		}
	}
	tl_hash_free(h);
}
