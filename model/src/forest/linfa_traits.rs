//! The forest in linfa's terms (`Fit` on a dataset, `Predict` on records), behind the `linfa`
//! feature: the service calls the forest directly, and linfa would bring its own ndarray, rand
//! and sprs into the binary for two traits.

use linfa::dataset::{AsTargets, DatasetBase};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, ArrayBase, Data, Ix2};

use super::{ForestError, ForestParams, RandomForest};

impl<D, T> Fit<ArrayBase<D, Ix2>, T, ForestError> for ForestParams
where
    D: Data<Elem = f32>,
    T: AsTargets<Elem = f32>,
{
    type Object = RandomForest;

    /// Trains on the dataset's records and its single target column, honouring its sample
    /// weights when it has any.
    fn fit(
        &self,
        dataset: &DatasetBase<ArrayBase<D, Ix2>, T>,
    ) -> Result<RandomForest, ForestError> {
        let targets = dataset.targets.as_targets();
        // One value per row: a 1-d target array, or a 2-d one with a single column.
        let y: Vec<f32> = targets.iter().copied().collect();
        let rows = dataset.records.nrows();
        if y.len() != rows {
            return Err(ForestError::MismatchedShapes {
                rows,
                targets: y.len(),
            });
        }
        self.fit_weighted(dataset.records.view(), &y, dataset.weights())
    }
}

impl<D: Data<Elem = f32>> PredictInplace<ArrayBase<D, Ix2>, Array1<f32>> for RandomForest {
    /// # Panics
    /// When `x` does not have the forest's number of columns or `y` is not one value per row.
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f32>) {
        let result = match y.as_slice_mut() {
            Some(out) => self.predict_into(x.view(), out),
            None => {
                let predicted = self.predict_rows(x.view());
                y.iter_mut().zip(predicted).for_each(|(y, p)| *y = p);
                Ok(())
            }
        };
        if let Err(error) = result {
            panic!("RandomForest::predict_inplace: {error}");
        }
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f32> {
        Array1::zeros(x.nrows())
    }
}
