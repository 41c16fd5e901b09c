//! `landstock plan`'s options for issue 18 (plans that survive a weak land
//! market, alternatives, irreplaceability) and the extra solves they need.

use landstock::output::summary::RobustnessSummary;
use landstock::plan::{PhaseSpec, PhasedPlan, Plan, PlanError, Problem};

/// The options, flattened into `landstock plan`.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct BeyondArgs {
    /// Plans that survive a weak land market: the plan's money stays
    /// non-negative, in every phase, if every auction brings this share
    /// less than expected, e.g. 30% (overrides [plan] revenue_shortfall;
    /// needs a budget). The plain plan is solved too: the summary's
    /// `robustness` and the report give the price of robustness (objective
    /// lost against it).
    #[arg(long, value_parser = share_arg)]
    pub(crate) revenue_shortfall: Option<f64>,
}

fn share_arg(s: &str) -> Result<f64, String> {
    landstock::config::plan::parse_share(s)
}

impl BeyondArgs {
    /// Command-line settings that override the config.
    pub(crate) fn apply(&self, cfg: &mut landstock::Config) {
        if let Some(s) = self.revenue_shortfall {
            cfg.plan.revenue_shortfall = Some(s);
        }
    }
}

/// The plain plan beside the robust one, when the problem has a revenue
/// shortfall: solved the same way (phased when `specs` is given).
pub(crate) fn robustness(
    problem: &Problem,
    plan: &Plan,
    phased: Option<&PhasedPlan>,
    specs: Option<&[PhaseSpec]>,
) -> Result<Option<RobustnessSummary>, PlanError> {
    if problem.revenue_shortfall() <= 0.0 {
        return Ok(None);
    }
    let plain_problem = problem.with_revenue_shortfall(0.0)?;
    Ok(Some(match (phased, specs) {
        (Some(robust), Some(specs)) => {
            let plain = plain_problem.solve_phased(specs)?;
            RobustnessSummary::new(problem, plan, &plain.plan, Some((robust, &plain)))
        }
        _ => RobustnessSummary::new(problem, plan, &plain_problem.solve()?, None),
    }))
}
