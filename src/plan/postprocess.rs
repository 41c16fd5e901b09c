//! SPEC §5 post-processing: a conversion that adds nothing to the objective
//! (zero benefit, hence no bonus either, since a bonus is at most the smaller
//! benefit) is turned back into keep, in parcel-id order, as long as every
//! constraint still holds. A zero-benefit auction that pays for parks, or a
//! conversion that meets a minimum, therefore stays.

use super::model::Model;
use super::Use;

pub(crate) fn revert_zero_contributions(m: &Model, uses: &mut [Use]) {
    let (mut act, mag) = m.activities(uses);
    // `uses` is in parcel-id order, so this loop is too.
    for k in 0..m.n {
        let u = uses[k];
        if u == Use::Keep || m.fixed[k].is_some() || m.benefit[k][u.index()] != 0.0 {
            continue;
        }
        debug_assert_eq!(m.bonus_with_neighbours(uses, k, u), 0.0);
        let mut next = act.clone();
        m.for_each_coef(k, u, |r, c| next[r] -= c);
        let holds = (0..m.rows.len())
            .all(|r| next[r] - m.rows[r].rhs <= m.tol(r, mag[r]) || next[r] <= act[r]);
        if holds {
            uses[k] = Use::Keep;
            act = next;
        }
    }
}
