// Package profile tests Herald as each product it serves deploys it: for
// ScaiDrive, Scalekit, scoopa, ScaiVault and ScaiGrid, Herald in local mode
// configured through the variables the README's "Serving a product" section
// gives that product, webhooks created through the admin API with the bodies
// shown there, the product's own events published, and a receiver written as
// that product's documentation tells its customers to write one. The tests
// read the configuration from the README, so the section shows what runs.
//
// The package holds tests only.
package profile
