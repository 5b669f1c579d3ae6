module.exports = __dirname;
