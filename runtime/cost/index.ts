export { ExpectedCost, expectedCost, type CostName } from "./expected-cost.js";
